from django.urls import path

from . import views_people as views

urlpatterns = [
    path("users/", views.users_list, name="users"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path(
        "users/<int:pk>/reset-two-factor/",
        views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("users/<int:pk>/password-link/", views.user_password_link, name="user_password_link"),
    path("users/<int:pk>/role/", views.user_change_role, name="user_change_role"),
    path("grants/<int:pk>/confirm/", views.grant_confirm, name="grant_confirm"),
    path("grants/<int:pk>/refuse/", views.grant_refuse, name="grant_refuse"),
    path("welcome/<str:uidb64>/<str:token>/", views.welcome, name="welcome"),
    path("organisations/", views.organisations_list, name="organisations"),
    path("organisations/add/", views.organisation_add, name="organisation_add"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
