from django.contrib.admin.apps import AdminConfig


class RecordsAdminConfig(AdminConfig):
    """Django's admin with the project's site (loaded by name once the models are ready)."""

    default_site = "beyondraid.admin_site.RecordsAdminSite"

    def ready(self):
        super().ready()
        from django.contrib import admin

        # Installed packages register their own models (groups, sign-in devices with their
        # secrets, lockout logs, task results) under Django's model permissions. The records
        # administration shows only the project's records, under the project's access rules.
        for model in list(admin.site._registry):
            if not model.__module__.startswith("beyondraid."):
                admin.site.unregister(model)
