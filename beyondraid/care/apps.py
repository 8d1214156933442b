from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "beyondraid.care"
    label = "care"
    verbose_name = "Victim-service network, referrals and consent"

    def ready(self):
        from beyondraid.accounts.audit import capture_writes

        from . import signals

        # Referrals, consent overrides, answers, deliveries and the unmet-need log are
        # accountability records: every write to them is logged like a write to the standard's.
        capture_writes(self.get_models())
        signals.connect()
