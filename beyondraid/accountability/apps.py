from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "beyondraid.accountability"
    label = "accountability"
    verbose_name = "Anonymous reports of abuse by officers, and their investigation"

    def ready(self):
        from beyondraid.accounts.audit import capture_writes

        # Every transition of a report, every message and every extension is audited; the
        # audit log names fields, never their values, so it holds nothing of what was reported.
        capture_writes(self.get_models())
