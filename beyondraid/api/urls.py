from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views, views_tokens

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/<str:prefix>/revoke/", views_tokens.revoke, name="revoke_token"),
    # The documentation page and its script are served from this site (drf-spectacular-sidecar),
    # never a CDN, and the script is a file, not inline, so the Content Security Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/operations/", views.OperationList.as_view(), name="operations"),
    path("v1/operations/<str:code>/", views.OperationDetail.as_view(), name="operation"),
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
        "v1/public/releases/<slug:name>/<int:version>/tables/<slug:slug>/",
        views.PublicTable.as_view(),
        name="public_table",
    ),
]
