"""The public site under /data/: no sign-in, published releases only."""

from django.urls import path

from . import views_public as views

app_name = "public"

# A release's pages are addressed by version, so a link or a citation keeps pointing at the same
# figures after a newer version is published; /data/<name>/ alone shows the newest.
RELEASE = "<slug:name>/v<int:version>/"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("methodology/", views.methodology, name="methodology"),
    path("<slug:name>/", views.release_latest, name="release_latest"),
    path(RELEASE, views.release_detail, name="release"),
    path(f"{RELEASE}report.pdf", views.release_report, name="release_report"),
    path(f"{RELEASE}datapackage.zip", views.datapackage, name="datapackage"),
    path(f"{RELEASE}tables/<slug:slug>.csv", views.table_download, name="table_csv"),
    path(f"{RELEASE}agencies/", views.scorecards, name="scorecards"),
    path(f"{RELEASE}agencies/<str:agency_key>/", views.agency, name="agency"),
    path(
        f"{RELEASE}agencies/<str:agency_key>/report.pdf",
        views.agency_report,
        name="agency_report",
    ),
    path(f"{RELEASE}states/<str:code>/", views.state, name="state"),
    path(f"{RELEASE}states/<str:code>/report.pdf", views.state_report, name="state_report"),
    path(f"{RELEASE}operations/", views.operations, name="operations"),
    path(f"{RELEASE}operations/<str:code>/", views.operation, name="operation"),
    path(f"{RELEASE}trends/", views.trends, name="trends"),
]
