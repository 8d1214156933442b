"""The public directory of where help is, mounted at /help/: no sign-in."""

from django.urls import path

from . import views_public

app_name = "help"

urlpatterns = [
    path("", views_public.directory, name="directory"),
    path("<int:pk>/", views_public.provider, name="provider"),
]
