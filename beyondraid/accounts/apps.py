from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beyondraid.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit log"

    def ready(self):
        from .audit import connect_write_capture

        connect_write_capture()
