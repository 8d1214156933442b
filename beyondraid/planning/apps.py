from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "beyondraid.planning"
    label = "planning"
    verbose_name = "Operation justification review and post-operation review"

    def ready(self):
        from beyondraid.accounts.audit import capture_writes

        # Plans, reviews, decisions and waivers are accountability records: every write to them
        # is logged like a write to the standard's records.
        capture_writes(self.get_models())
