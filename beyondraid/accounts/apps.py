from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beyondraid.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit log"

    def ready(self):
        from django.contrib import admin

        from . import views_signin
        from .audit import connect_write_capture

        connect_write_capture()
        # The records administration signs in and out through our pages, so that it needs the
        # second factor too and every sign-in and sign-out is logged. Replacing the two views on
        # the site object keeps the admin's URLs (admin:login, admin:logout) and templates.
        admin.site.login = views_signin.admin_login
        admin.site.logout = views_signin.sign_out
