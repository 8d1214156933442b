from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "beyondraid.intake"
    label = "intake"
    verbose_name = "Import and audit of agency records"
