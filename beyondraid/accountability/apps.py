from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "beyondraid.accountability"
    label = "accountability"
    verbose_name = "Anonymous reports of abuse by officers, and their investigation"

    def ready(self):
        from beyondraid.accounts.audit import capture_writes

        # Every transition of a report, every message and every extension is audited; the audit
        # log names fields, never their values, so it holds nothing of what was reported. The
        # rate-limit counts are not: an entry for each would say when each attempt was made.
        counts = self.get_model("DailyCount")
        capture_writes([model for model in self.get_models() if model is not counts])
