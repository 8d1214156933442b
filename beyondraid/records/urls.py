from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard.json", views.scorecard_json, name="scorecard_json"),
    path("<str:code>/", views.request_detail, name="detail"),
    path("<str:code>/steps/", views.record_step, name="step"),
    path("<str:code>/correspondence/", views.attach, name="attach"),
    path("<str:code>/released/", views.store_release, name="release"),
    path("<str:code>/released/<int:pk>/audit/", views.audit_document, name="audit"),
    path("<str:code>/categories-received/", views.categories_received, name="categories"),
    path("<str:code>/public/", views.set_public, name="public"),
    path(
        "<str:code>/files/<str:kind>/<int:pk>/",
        views.stored_file,
        name="file",
    ),
    path("<str:code>/letters/<str:kind>/", views.letter, name="letter"),
]
