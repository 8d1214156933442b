from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "beyondraid.care"
    label = "care"
    verbose_name = "Victim-service network, referrals and consent"

    def ready(self):
        from beyondraid.accounts.audit import capture_writes
        from beyondraid.standard import access

        from . import permissions, signals

        # The standard cannot ask for referrals itself (it does not depend on this app): this
        # names the referrals through which a provider's caseworkers reach a person.
        access.reach_providers_through(permissions.referrals_reaching_the_person)

        # Referrals, consent overrides, answers, deliveries and the unmet-need log are
        # accountability records: every write to them is logged like a write to the standard's.
        # Alerts are not: nobody writes them, they are recomputed from those records, which are.
        capture_writes(model for model in self.get_models() if model is not self.get_model("Alert"))
        signals.connect()
