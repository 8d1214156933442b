from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views, views_htcds, views_landing, views_nibrs, views_records, views_tokens

app_name = "api"


def _record_routes(kind):
    list_view, detail_view = views_records.record_views_for(kind)
    return [
        path(f"v1/{kind.path}/", list_view.as_view(), name=kind.name),
        path(f"v1/{kind.path}/<str:key>/", detail_view.as_view(), name=f"{kind.name}_detail"),
    ]


urlpatterns = [
    # Named in the README: what the API offers and where its documentation is.
    path("", views_landing.index, name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/<str:prefix>/revoke/", views_tokens.revoke, name="revoke_token"),
    # The documentation page and its script are served from this site (drf-spectacular-sidecar),
    # never a CDN, and the script is a file, not inline, so the Content Security Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *[route for kind in views_records.RECORD_TYPES for route in _record_routes(kind)],
    path("v1/submissions/", views_records.Submissions.as_view(), name="submissions"),
    path(
        "v1/submissions/<int:batch>/",
        views_records.SubmissionStatus.as_view(),
        name="submission",
    ),
    # Exports (docs/nibrs.md, docs/htcds.md)
    path("exports/htcds/", views_htcds.htcds_export, name="htcds_export"),
    path("v1/exports/nibrs/", views_nibrs.NibrsExport.as_view(), name="nibrs_export"),
    path("v1/public/releases/", views.PublicReleaseList.as_view(), name="public_releases"),
    path(
        "v1/public/releases/<slug:name>/",
        views.PublicReleaseLatest.as_view(),
        name="public_release_latest",
    ),
    path(
        "v1/public/releases/<slug:name>/<int:version>/",
        views.PublicReleaseVersion.as_view(),
        name="public_release",
    ),
    path(
        "v1/public/releases/<slug:name>/<int:version>/datapackage/",
        views.PublicDataPackage.as_view(),
        name="public_datapackage",
    ),
    path(
        "v1/public/releases/<slug:name>/<int:version>/tables/<slug:slug>/",
        views.PublicTable.as_view(),
        name="public_table",
    ),
]
