from django.urls import path

from . import views_feedback, views_public

app_name = "report"

urlpatterns = [
    path("", views_public.report_form, name="form"),
    path("feedback/", views_feedback.feedback_form, name="feedback"),
    path("follow-up/", views_public.follow_up, name="follow_up"),
]
