"""The project's urls plus ``POST /bench/minimal/``: one row inserted, no rule checked.

It is the yardstick of issue 25's goal for single-record writes (p95 within 3× of it). It
authenticates the integration token exactly as the API does (the token checked and the request
written to the audit log), so that the comparison measures what the record's rules cost, not
what authentication costs. It then inserts one row into ``bench_minimal_row``, a table the bench
creates, with raw SQL: no model, no validation, no idempotency record.
"""

from django.db import connection
from django.urls import include, path
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from beyondraid.api.authentication import IntegrationTokenAuthentication

MINIMAL_TABLE = "bench_minimal_row"
MINIMAL_PATH = "/bench/minimal/"


class MinimalWrite(APIView):
    authentication_classes: list[type[BaseAuthentication]] = [IntegrationTokenAuthentication]

    def post(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MINIMAL_TABLE} (body) VALUES (%s) RETURNING id",  # noqa: S608
                [request.body.decode(errors="replace")],
            )
            (row,) = cursor.fetchone()
        return Response({"id": row}, status=201)


urlpatterns = [
    path(MINIMAL_PATH.strip("/") + "/", MinimalWrite.as_view()),
    path("", include("beyondraid.urls")),
]
