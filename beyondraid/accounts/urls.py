from django.urls import include, path

app_name = "accounts"

urlpatterns = [
    path("", include("beyondraid.accounts.urls_signin")),
    path("", include("beyondraid.accounts.urls_people")),
]
