"""The API's views: thin, each reading through the owning app's selectors.

The public part needs no token and shows only published releases, exactly as frozen: the same
figures the public site shows, suppressed ones null.
"""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny

from beyondraid.transparency import selectors as public
from beyondraid.transparency.datapackage import package_zip

from .serializers import ProblemSerializer, ReleaseSerializer, TableSerializer

NOT_FOUND = OpenApiResponse(
    ProblemSerializer, description="No published release or table by that name."
)


class _Public:
    authentication_classes: list = []
    permission_classes = [AllowAny]


@extend_schema_view(
    get=extend_schema(
        tags=["public"],
        operation_id="public_releases",
        summary="The newest published version of every release",
    )
)
class PublicReleaseList(_Public, generics.ListAPIView):
    serializer_class = ReleaseSerializer
    pagination_class = None

    def get_queryset(self):
        return public.latest_published_releases()


class _PublicReleaseDetail(_Public, generics.RetrieveAPIView):
    serializer_class = ReleaseSerializer

    def get_object(self):
        release = public.published_release(self.kwargs["name"], self.kwargs.get("version"))
        if release is None:
            raise Http404
        return release


@extend_schema_view(
    get=extend_schema(
        tags=["public"],
        operation_id="public_release_latest",
        summary="The newest published version of one release",
        responses={200: ReleaseSerializer, 404: NOT_FOUND},
    )
)
class PublicReleaseLatest(_PublicReleaseDetail):
    pass


@extend_schema_view(
    get=extend_schema(
        tags=["public"],
        operation_id="public_release",
        summary="One published version of a release: its period, checksum, tables and Data Package",
        responses={200: ReleaseSerializer, 404: NOT_FOUND},
    )
)
class PublicReleaseVersion(_PublicReleaseDetail):
    pass


@extend_schema_view(
    get=extend_schema(
        tags=["public"],
        operation_id="public_table",
        summary="One table of a published release, with its columns and rows",
        responses={200: TableSerializer, 404: NOT_FOUND},
    )
)
class PublicTable(_Public, generics.RetrieveAPIView):
    serializer_class = TableSerializer

    def get_object(self):
        release = public.published_release(self.kwargs["name"], self.kwargs["version"])
        table = release and public.release_table(release, self.kwargs["slug"])
        if not table:
            raise Http404
        return table


@extend_schema_view(
    get=extend_schema(
        tags=["public"],
        operation_id="public_datapackage",
        summary="One published release as a Frictionless Data Package (zip): datapackage.json, "
        "each table as CSV with its Table Schema, and the release's notes",
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The Data Package, as the public site serves it."
            ),
            404: NOT_FOUND,
        },
    )
)
class PublicDataPackage(_Public, generics.GenericAPIView):
    def get(self, request, name: str, version: int):
        release = public.published_release(name, version)
        if release is None:
            raise Http404
        response = HttpResponse(package_zip(release), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="{release.name}-v{release.version}.zip"'
        )
        return response
