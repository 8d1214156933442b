from django.contrib import admin
from django.urls import include, path

from . import views
from .start import views as start_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("start/", start_views.start, name="start"),
    path("accounts/", include("beyondraid.accounts.urls")),
    path("", include("beyondraid.standard.urls")),
    path("intake/", include("beyondraid.intake.urls")),
    path("plans/", include("beyondraid.planning.urls")),
    path("care/", include("beyondraid.care.urls")),
    path("report/", include("beyondraid.accountability.urls_public")),
    path("help/", include("beyondraid.care.urls_public")),
    path("oversight/", include("beyondraid.accountability.urls_oversight")),
    path("records/", include("beyondraid.records.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("beyondraid.api.urls")),
    path("indicators/", include("beyondraid.transparency.urls_indicators")),
    path("data/", include("beyondraid.transparency.urls_public")),
    path("releases/", include("beyondraid.transparency.urls_releases")),
    path("admin/", admin.site.urls),
]

# An API address that no route takes, or a request to it that Django refuses to read (too large,
# too many fields), answers in problem details, like every other API error; every other address
# gets a page of the site (beyondraid/views.py).
handler400 = "beyondraid.api.problems.bad_request"
handler403 = "beyondraid.views.permission_denied"
handler404 = "beyondraid.api.problems.page_not_found"
handler500 = "beyondraid.views.server_error"
