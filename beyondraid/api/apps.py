from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "beyondraid.api"
    label = "api"
    verbose_name = "Data exchange API and exports"
