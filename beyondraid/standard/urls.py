from django.urls import path

from . import views

app_name = "standard"

urlpatterns = [
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/<str:code>/", views.operation_detail, name="operation_detail"),
    path("people/<str:code>/", views.encounter_detail, name="encounter_detail"),
]
