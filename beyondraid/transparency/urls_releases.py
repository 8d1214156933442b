from django.urls import path

from . import views_releases

app_name = "releases"

urlpatterns = [
    path("", views_releases.release_list, name="list"),
    path("<slug:name>/v<int:version>/", views_releases.release_detail, name="detail"),
    path("<slug:name>/v<int:version>/check/", views_releases.release_check, name="check"),
    path("<slug:name>/v<int:version>/publish/", views_releases.release_publish, name="publish"),
    path(
        "<slug:name>/v<int:version>/datapackage.zip",
        views_releases.release_package,
        name="package",
    ),
]
