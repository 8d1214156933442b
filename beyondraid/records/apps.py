from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "beyondraid.records"
    label = "records"
    verbose_name = "Public-records requests and the agency transparency scorecard"

    def ready(self):
        from beyondraid.accounts.audit import capture_writes

        # Requests, their steps and the files received are the evidence of what agencies did
        # with a request: every write to them is logged like a write to the standard's records.
        capture_writes(self.get_models())
