"""The NIBRS export for an agency's own system: the same flat file as ``beyondraid export_nibrs``
(docs/nibrs.md), for the token's agency only, and in the audit log under the token's name."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from . import nibrs
from .authentication import ActsForToken, IntegrationTokenAuthentication, TokenCovers
from .problems import PROBLEM_JSON
from .serializers import ProblemSerializer

# The file shows, besides charges, each person's age band and gender and their arrests: a token
# reads it only if it may read all three kinds of record.
RECORD_TYPES_READ = ("charges", "encounters", "treatment_events")


class _CsvOrProblem(BaseContentNegotiation):
    """Nothing to negotiate: the export is CSV, and anything else is a problem document (JSON),
    whatever the Accept header asks for."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _day(name: str, which: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.DATE,
        required=True,
        description=f"The {which} day of the period (YYYY-MM-DD), by incident date.",
    )


class NibrsExport(ActsForToken, APIView):
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [TokenCovers]
    content_negotiation_class = _CsvOrProblem
    record_type = "charges"

    @extend_schema(
        tags=["exports"],
        operation_id="nibrs_export",
        summary="The agency's incidents of a period as NIBRS offences, victims, offenders and "
        "arrestees: one flat CSV file, not a NIBRS submission (docs/nibrs.md)",
        description="The incidents of the token's agency (its own operations and the joint ones "
        "it takes part in) dated within the period, one row per victim, offender and arrestee. "
        "A person who was a victim when charged or arrested, is one now, or is a minor is never "
        "an offender or arrestee of 40A (Prostitution): they are a victim of 64A, and the "
        "withheld charge is named in the row's flags. The token must read charges, encounters "
        "and treatment events; every export is in the audit log.",
        parameters=[_day("from", "first"), _day("to", "last")],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="One row per participant in an incident; the columns are in "
                "docs/nibrs.md. A victim is never an offender or arrestee of 40A.",
            ),
            (400, PROBLEM_JSON): OpenApiResponse(
                ProblemSerializer,
                description="A day missing or not a date, or a period ending before it starts; "
                "the problem's path is 'from' or 'to'.",
            ),
            (401, PROBLEM_JSON): OpenApiResponse(
                ProblemSerializer, description="No token, or one invalid, revoked or expired."
            ),
            (403, PROBLEM_JSON): OpenApiResponse(
                ProblemSerializer,
                description="The token does not read charges, encounters and treatment events.",
            ),
        },
    )
    def get(self, request):
        missing = [kind for kind in RECORD_TYPES_READ if not request.auth.covers(kind, write=False)]
        if missing:
            self.permission_denied(
                request,
                message=f"This token does not read {', '.join(missing)}, which the NIBRS file "
                "shows; ask your agency's administrator for one that does.",
            )
        params = request.query_params
        try:
            start, end = nibrs.parse_period(params.get("from"), params.get("to"))
        except nibrs.PeriodError as error:
            raise ValidationError({error.field: [str(error)]}) from None
        text = nibrs.export(agency=request.user.organisation, start=start, end=end)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="nibrs-{start}-{end}.csv"'
        response["Cache-Control"] = "no-store"
        return response
