"""The public site under /data/: no sign-in; published releases, and the public-records requests
that their requesters made public."""

from django.urls import path

from . import views_public as views
from . import views_public_records as records

app_name = "public"

# A release's pages are addressed by version, so a link or a citation keeps pointing at the same
# figures after a newer version is published; /data/<name>/ alone shows the newest.
RELEASE = "<slug:name>/v<int:version>/"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("methodology/", views.methodology, name="methodology"),
    # Before the release patterns, which would otherwise read "records-requests" as a release name.
    path("records-requests/", records.records_scorecard, name="records_scorecard"),
    path(
        "records-requests/scorecard.csv",
        records.records_scorecard_csv,
        name="records_scorecard_csv",
    ),
    path("records-requests/<str:code>/", records.records_request, name="records_request"),
    path(
        "records-requests/<str:code>/documents/<str:sha256>/",
        records.records_file,
        name="records_file",
    ),
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
    path(f"{RELEASE}funding/", views.funding, name="funding"),
]
