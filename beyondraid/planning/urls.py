from django.urls import path

from . import views, views_outcome

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<str:code>/", views.plan_detail, name="detail"),
    path("<str:code>/edit/<slug:section>/", views.plan_edit, name="edit"),
    path("<str:code>/v<int:number>/submit/", views.plan_submit, name="submit"),
    path("<str:code>/v<int:number>/review/", views.plan_review, name="review"),
    path("<str:code>/v<int:number>/waive/", views.plan_waive, name="waive"),
    path("<str:code>/v<int:number>/approve/", views.plan_approve, name="approve"),
    path("<str:code>/v<int:number>/return/", views.plan_return, name="return"),
    path("<str:code>/new-version/", views.plan_new_version, name="new_version"),
    path("<str:code>/operation/", views.plan_link_operation, name="link_operation"),
    path("<str:code>/outcome/", views_outcome.outcome, name="outcome"),
    path("<str:code>/v<int:number>/plan.pdf", views.plan_pdf, name="pdf"),
]
