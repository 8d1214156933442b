"""``beyondraid demo_network``: the demo's victim-service provider, listed in the directory by its
own caseworker, so that a steward can refer a person from any encounter page of the demo.

Run by ``beyondraid demo`` after the demo accounts exist; idempotent.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beyondraid.care import services
from beyondraid.care.models import ProviderProfile

# The demo account (beyondraid.accounts.management.commands.demo) that keeps the entry.
CASEWORKER = "caseworker"


class Command(BaseCommand):
    help = "List the demo's service provider in the directory (run by `beyondraid demo`)."

    def handle(self, *args, **options):
        caseworker = get_user_model().objects.filter(username=CASEWORKER).first()
        if caseworker is None:
            raise CommandError("The demo accounts are missing: run `beyondraid demo`.")
        provider = caseworker.organisation
        if ProviderProfile.objects.filter(provider=provider).exists():
            self.stdout.write(f"{provider} is already in the directory.")
            return
        services.create_provider_profile(
            user=caseworker,
            provider=provider,
            services=[
                "trafficking_shelter",
                "emergency_shelter",
                "basic_needs",
                "medical_care",
                "crisis_counselling",
                "ongoing_counselling",
                "legal_services",
                "immigration_legal",
                "interpreter",
                "family_reunification",
                "record_clearing",
            ],
            languages=["en", "es", "zh", "vi", "ko"],
            gender_identities=[
                "woman",
                "man",
                "transgender_woman",
                "transgender_man",
                "non_binary",
                "another_identity",
            ],
            age_groups=["15_17", "18_24", "25_34", "35_and_over"],
            serves_foreign_nationals=True,
            answers_any_hour=True,
            trafficking_shelter_places=12,
        )
        self.stdout.write(f"{provider} listed in the directory.")
