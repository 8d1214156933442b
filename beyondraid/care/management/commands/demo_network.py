"""``beyondraid demo_network``: the demo's victim-service providers in the directory, so that a
steward can refer a person from any encounter page of the demo and the public directory of where
help is (/help/) has entries to search.

The demo's provider is listed by its own caseworker; two more synthetic providers, which have no
account of their own, by the demo administrator on their behalf. All three are on the public
directory, with reserved fictional telephone numbers (555-01xx) and a made-up walk-in address:
a confidential refuge, a provider asking for neither an ID nor a police report, and one that asks
for an ID, so that the directory's order and its marks can be seen.

Run by ``beyondraid demo`` after the demo accounts exist; idempotent.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beyondraid.care import services
from beyondraid.care.models import ProviderProfile
from beyondraid.standard import services as standard_services
from beyondraid.standard.models import Agency

# The demo accounts (beyondraid.accounts.management.commands.demo) that keep the entries.
CASEWORKER = "caseworker"
ADMINISTRATOR = "admin"

SAFE_PASSAGE = {
    "services": [
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
    "languages": ["en", "es", "zh", "vi", "ko"],
    "gender_identities": [
        "woman",
        "man",
        "transgender_woman",
        "transgender_man",
        "non_binary",
        "another_identity",
    ],
    "age_groups": ["15_17", "18_24", "25_34", "35_and_over"],
    "serves_foreign_nationals": True,
    "answers_any_hour": True,
    "trafficking_shelter_places": 12,
    "listed_publicly": True,
    "counties": ["06001", "06013", "06075", "06081"],
    "requires_id": False,
    "requires_police_report": False,
    "contact_phone": "(510) 555-0142",
    "contact_texts": True,
    "contact_hours": "24 hours, every day",
    "walk_in": "on_contact",
}

# Two more providers, synthetic like everything in the demo: (name, entry).
MORE_PROVIDERS = (
    (
        "Synthetic Casa Segura Refuge",
        {
            "services": [
                "trafficking_shelter",
                "emergency_shelter",
                "basic_needs",
                "crisis_counselling",
                "childrens_services",
            ],
            "languages": ["en", "es", "pt"],
            "gender_identities": ["woman", "transgender_woman", "non_binary"],
            "age_groups": ["18_24", "25_34", "35_and_over"],
            "serves_foreign_nationals": True,
            "answers_any_hour": True,
            "trafficking_shelter_places": 8,
            "listed_publicly": True,
            "counties": ["06037", "06059"],
            "requires_id": False,
            "requires_police_report": False,
            "contact_phone": "(213) 555-0147",
            "contact_texts": True,
            "contact_hours": "24 hours, every day",
            "walk_in": "on_contact",
        },
    ),
    (
        "Synthetic Valley Workers' Legal Center",
        {
            "services": [
                "legal_services",
                "immigration_legal",
                "interpreter",
                "record_clearing",
                "job_training",
            ],
            "languages": ["en", "es", "tl"],
            "gender_identities": [
                "woman",
                "man",
                "transgender_woman",
                "transgender_man",
                "non_binary",
                "another_identity",
            ],
            "age_groups": ["18_24", "25_34", "35_and_over"],
            "serves_foreign_nationals": True,
            "listed_publicly": True,
            "counties": ["06019", "06029", "06107"],
            "requires_id": True,
            "requires_police_report": False,
            "contact_phone": "(559) 555-0163",
            "contact_hours": "Monday to Friday, 9 am to 5 pm",
            "walk_in": "address",
            "walk_in_address": "100 Synthetic Plaza, Fresno, CA",
        },
    ),
)


class Command(BaseCommand):
    help = "List the demo's service providers in the directory (run by `beyondraid demo`)."

    def handle(self, *args, **options):
        users = get_user_model().objects
        caseworker = users.filter(username=CASEWORKER).first()
        administrator = users.filter(username=ADMINISTRATOR).first()
        if caseworker is None or administrator is None:
            raise CommandError("The demo accounts are missing: run `beyondraid demo`.")
        self._list(caseworker.organisation, by=caseworker, entry=SAFE_PASSAGE)
        for name, entry in MORE_PROVIDERS:
            provider = Agency.objects.filter(name=name).first() or standard_services.record_agency(
                name=name,
                kind="victim_service_provider",
                state="CA",
                source="import",
                source_reference="beyondraid demo",
            )
            self._list(provider, by=administrator, entry=entry)

    def _list(self, provider: Agency, *, by, entry: dict) -> None:
        if ProviderProfile.objects.filter(provider=provider).exists():
            self.stdout.write(f"{provider} is already in the directory.")
            return
        services.create_provider_profile(user=by, provider=provider, **entry)
        self.stdout.write(f"{provider} listed in the directory and on the public directory.")
