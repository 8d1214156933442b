from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beyondraid.accounts"
    label = "accounts"
    verbose_name = "Accounts"
