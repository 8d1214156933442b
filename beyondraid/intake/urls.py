from django.urls import path

from . import views, views_import

app_name = "intake"

urlpatterns = [
    path("audit/", views.audit_upload, name="audit"),
    path("imports/", views_import.import_list, name="import_list"),
    path("imports/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("imports/<int:pk>/undo/", views_import.import_undo, name="import_undo"),
]
