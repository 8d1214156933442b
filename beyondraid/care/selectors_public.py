"""Reads of the public directory of where help is (``/help/``; issue 21, item 5; R-116).

Anyone reads it, signed in or not, and everyone reads the same: the entries whose providers chose
to be listed publicly (``ProviderProfile.listed_publicly``), and of each only what is meant for
the public, copied into a ``PublicEntry`` so that no page can reach the rest of the record — not
its capacity, its shelter places, nor who last changed it. An entry that is not listed publicly
does not exist here: its page is a 404, like an unknown one.

Providers that ask for neither an ID nor a police report come first: nobody should need either
to be helped. Capacity plays no part in the order, since the order would then tell it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from .models import ProviderProfile, WalkIn
from .selectors import find_providers


@dataclass(frozen=True)
class PublicEntry:
    """What the public directory shows of one provider; codes, read with their vocabularies."""

    provider_id: int
    name: str
    services: tuple[str, ...]
    languages: tuple[str, ...]
    gender_identities: tuple[str, ...]
    age_groups: tuple[str, ...]
    counties: tuple[str, ...]
    serves_foreign_nationals: bool
    requires_id: bool
    requires_police_report: bool
    contact_phone: str
    contact_texts: bool
    contact_hours: str
    walk_in: str
    walk_in_address: str
    updated_on: datetime.date

    @property
    def asks_for_neither(self) -> bool:
        return not self.requires_id and not self.requires_police_report

    @property
    def dial(self) -> str:
        """The line as a ``tel:`` or ``sms:`` address takes it: its digits, and a leading +."""
        digits = "".join(character for character in self.contact_phone if character.isdigit())
        return f"+{digits}" if self.contact_phone.startswith("+") else digits

    @property
    def address_on_contact(self) -> bool:
        return self.walk_in == WalkIn.ON_CONTACT


def _public(profile: ProviderProfile) -> PublicEntry:
    return PublicEntry(
        provider_id=profile.provider_id,
        name=profile.provider.name,
        services=tuple(profile.services),
        languages=tuple(profile.languages),
        gender_identities=tuple(profile.gender_identities),
        age_groups=tuple(profile.age_groups),
        counties=tuple(profile.counties),
        serves_foreign_nationals=profile.serves_foreign_nationals,
        requires_id=bool(profile.requires_id),
        requires_police_report=bool(profile.requires_police_report),
        contact_phone=profile.contact_phone,
        contact_texts=profile.contact_texts,
        contact_hours=profile.contact_hours,
        walk_in=profile.walk_in,
        # The database keeps an address only for walking in at it; read it only then all the same.
        walk_in_address=profile.walk_in_address if profile.walk_in == WalkIn.ADDRESS else "",
        updated_on=profile.updated_at.date(),
    )


def _asks_for_something() -> Case:
    return Case(
        When(Q(requires_id=False, requires_police_report=False), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def public_directory(
    *, service: str | None = None, language: str | None = None, county: str | None = None
) -> list[PublicEntry]:
    """The providers listed publicly that offer the service, speak the language and serve the
    county asked for (each optional), those asking for neither an ID nor a police report first,
    then by name. An unknown code raises ``ValidationError`` keyed by the filter."""
    found = (
        find_providers(service=service, language=language, county=county)
        .filter(listed_publicly=True)
        .annotate(asks_for_something=_asks_for_something())
        .order_by("asks_for_something", "provider__name")
    )
    return [_public(profile) for profile in found]


def public_entry(provider_id: int) -> PublicEntry | None:
    """One provider's public entry; None unless it is listed publicly."""
    profile = (
        ProviderProfile.objects.select_related("provider")
        .prefetch_related("codes")
        .filter(provider_id=provider_id, listed_publicly=True)
        .first()
    )
    return _public(profile) if profile is not None else None
