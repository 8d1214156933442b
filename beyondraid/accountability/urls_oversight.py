from django.urls import path

from . import views_oversight, views_oversight_landing

app_name = "oversight"

urlpatterns = [
    # Named in the README: investigators go to their reports, anyone else learns what this is.
    path("", views_oversight_landing.index, name="index"),
    path("reports/", views_oversight.report_list, name="reports"),
    path("statistics/", views_oversight.statistics, name="statistics"),
    path("reports/<str:reference>/", views_oversight.report_detail, name="report"),
    path("key/unlock/", views_oversight.unlock, name="unlock"),
    path("key/lock/", views_oversight.lock, name="lock"),
    # One POST-only URL per step of the workflow, named after it: oversight:acknowledge, …
    *(
        path(f"reports/<str:reference>/{name}/", views_oversight.act, {"name": name}, name=name)
        for name in views_oversight.ACTIONS
    ),
]
