from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StandardConfig(AppConfig):
    name = "beyondraid.standard"
    label = "standard"
    verbose_name = "Data standard"

    def ready(self):
        # Reference data, like Django's own content types: after every migrate the shipped statute
        # catalogue is in the database, so a fresh install never lacks statutes to charge under.
        post_migrate.connect(_sync_shipped_catalogue, sender=self)


def _sync_shipped_catalogue(sender, using, **kwargs):
    from .catalogue import sync_statutes

    sync_statutes(using=using)
