from django.urls import path

from . import views, views_funding, views_grid, views_recording

app_name = "standard"

urlpatterns = [
    path("operations/", views.operation_list, name="operation_list"),
    # Before the operation's page, whose code would otherwise take "new".
    path("operations/new/", views_recording.operation_new, name="operation_new"),
    path("operations/<str:code>/", views.operation_detail, name="operation_detail"),
    path("operations/<str:code>/edit/", views_recording.operation_edit, name="operation_edit"),
    path(
        "operations/<str:code>/agencies/",
        views_recording.operation_agencies,
        name="operation_agencies",
    ),
    path("operations/<str:code>/people/new/", views_recording.person_new, name="person_new"),
    path("operations/<str:code>/people/grid/", views_grid.people_grid, name="people_grid"),
    path("people/<str:code>/", views.encounter_detail, name="encounter_detail"),
    path("people/<str:code>/link/", views.link_person, name="link_person"),
    path("people/<str:code>/edit/", views_recording.person_edit, name="person_edit"),
    path("people/<str:code>/record/", views_recording.person_record, name="person_record"),
    path("funding/", views_funding.funding_list, name="funding_list"),
    path("funding/new/", views_funding.funding_new, name="funding_new"),
    path("funding/<int:pk>/edit/", views_funding.funding_edit, name="funding_edit"),
]
