from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "beyondraid.transparency"
    label = "transparency"
    verbose_name = "Indicators, disclosure-checked releases and the public site"
