from django.urls import path

from . import views, views_funding

app_name = "standard"

urlpatterns = [
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/<str:code>/", views.operation_detail, name="operation_detail"),
    path("people/<str:code>/", views.encounter_detail, name="encounter_detail"),
    path("people/<str:code>/link/", views.link_person, name="link_person"),
    path("funding/", views_funding.funding_list, name="funding_list"),
    path("funding/new/", views_funding.funding_new, name="funding_new"),
    path("funding/<int:pk>/edit/", views_funding.funding_edit, name="funding_edit"),
]
