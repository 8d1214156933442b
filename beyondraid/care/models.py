"""The victim-service network: the provider directory, referrals with consent, the provider's
answer, the services delivered, and the unmet-need log.

Sources: 2009 catalog §2C (R-079 immediate, unconditional services; R-080 services never depend
on cooperation; R-083 referral as soon as possible; R-091 services in the person's language;
R-119 stale cases) and 2021 catalog §2.D (R56 offer services to every suspected victim, R58 never
contingent on cooperation, R65 capacity, waiting lists, denial reasons and the unmet-need log,
R73 providers ready at any hour) and §2.J (R129 law enforcement and providers working together).

Nothing here identifies a person (principle 1, docs/principles.md): a referral points at an
``Encounter``, whose code is random, and carries only codes and dates. The two free texts, the
reason for a consent override and the explanation of a decline, are about a decision, never about
the person.

The person's own follow-through records (family reunification, court dates and record
clearing: issue 7; R-089, R-090, R-034, R-111, R71) hold only counts, closed lists and dates.

No model here has a field about cooperation with law enforcement, and none links to a
``CooperationRecord`` (principle 3): nothing can make a referral depend on it.
"""

import datetime
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from beyondraid.core.codes import CodedRecord
from beyondraid.standard.models import (
    Agency,
    Encounter,
    FollowUp,
    Operation,
    ServiceOffer,
    coded,
    in_vocabulary,
)
from beyondraid.standard.vocabulary import vocabulary

from .counties import county_choices, county_codes

PROVIDER_KIND = "victim_service_provider"


class DirectoryList(models.TextChoices):
    """The lists of codes a provider's directory entry holds."""

    SERVICES = "services", "Services offered"
    LANGUAGES = "languages", "Languages spoken"
    GENDER_IDENTITIES = "gender_identities", "Gender identities served"
    AGE_GROUPS = "age_groups", "Age groups served"
    COUNTIES = "counties", "Counties served"


# Each list takes the codes of one vocabulary, except those that describe a person whose answer
# is not known: a provider serves definite people ("15 to 17"), never "age unknown".
_LIST_VOCABULARIES: dict[str, tuple[str, tuple[str, ...]]] = {
    DirectoryList.SERVICES: ("service_type", ("unspecified",)),
    DirectoryList.LANGUAGES: ("language", ("unknown",)),
    DirectoryList.GENDER_IDENTITIES: ("gender_identity", ("not_recorded",)),
    DirectoryList.AGE_GROUPS: (
        "age_group",
        ("minor_group_unknown", "adult_group_unknown", "unknown"),
    ),
}


# Counties come from the packaged county list rather than a vocabulary (``counties``). A provider
# that is not on the public directory may leave them out: the stewards who refer people know it.
_MAY_BE_EMPTY = {DirectoryList.COUNTIES}


def listable_codes(list_name: str) -> tuple[str, ...]:
    """The codes a provider may put in one of its directory lists, in vocabulary order."""
    if list_name == DirectoryList.COUNTIES:
        return county_codes()
    name, left_out = _LIST_VOCABULARIES[list_name]
    return tuple(code for code in vocabulary(name).codes if code not in left_out)


def listable_choices(list_name: str) -> list[tuple[str, str]]:
    if list_name == DirectoryList.COUNTIES:
        return county_choices()
    name, _ = _LIST_VOCABULARIES[list_name]
    return [(code, vocabulary(name).label(code)) for code in listable_codes(list_name)]


def _allowed_codes_hint(list_name: str) -> str:
    if list_name == DirectoryList.COUNTIES:
        return "use the five-digit county codes of beyondraid/care/counties.toml, such as 06037"
    return f"use codes from: {', '.join(listable_codes(list_name))}"


def checked_lists(lists: dict[str, Iterable[str] | None]) -> dict[str, list[str]]:
    """The directory lists as given, each checked: a list of known codes, none twice, and not
    empty unless it is the counties (``_MAY_BE_EMPTY``). ``None`` leaves a list out. Raises
    ``ValidationError`` keyed by list name."""
    errors: dict[str, str] = {}
    checked: dict[str, list[str]] = {}
    for list_name, given in lists.items():
        if given is None:
            continue
        codes = [given] if isinstance(given, str) else list(given)
        label = DirectoryList(list_name).label.lower()
        allowed = listable_codes(list_name)
        unknown = [code for code in codes if code not in allowed]
        if not codes and list_name not in _MAY_BE_EMPTY:
            errors[list_name] = f"Choose at least one: the directory lists the {label}."
        elif unknown:
            errors[list_name] = (
                f"{', '.join(map(str, unknown))} cannot be listed among the {label}; "
                f"{_allowed_codes_hint(list_name)}."
            )
        elif len(set(codes)) != len(codes):
            errors[list_name] = f"A code is listed twice among the {label}."
        else:
            checked[list_name] = codes
    if errors:
        raise ValidationError(errors)
    return checked


class WalkIn(models.TextChoices):
    """Whether, and where, people may come to a provider in person."""

    ADDRESS = "address", "At the address given"
    ON_CONTACT = "on_contact", "Address given on contact"
    NONE = "none", "No walk-in"


# Digits with the usual separators, optionally an international "+": "(510) 555-0142", "211".
_LINE = re.compile(r"^\+?[0-9 ().-]+$")
_LINE_DIGITS = (3, 15)


class ProviderProfile(models.Model):
    """A victim-service organisation's entry in the directory: what it offers, to whom, in which
    languages, and whether it can take someone now. The provider keeps it up to date itself
    (R65 capacity and waiting lists; R73 answering at any hour; R-091 language).

    With the provider's consent (``listed_publicly``) part of it is also the public directory of
    where help is (R-116; issue 21, item 5): the services, languages, people served and counties,
    whether it asks for an ID or a police report, and how to reach it safely. Every field here is
    about the organisation, never a person: the line and the walk-in address are the provider's
    own, and a refuge whose location must stay confidential gives its address on contact, so the
    address is never stored (a database constraint holds it)."""

    provider = models.OneToOneField(
        Agency,
        on_delete=models.PROTECT,
        related_name="provider_profile",
        help_text="The victim-service organisation this entry describes.",
    )
    serves_foreign_nationals = models.BooleanField(
        default=False, help_text="Serves people who are not U.S. citizens, documented or not."
    )
    answers_any_hour = models.BooleanField(
        default=False, help_text="Answers a referral at any hour of the day or night."
    )
    trafficking_shelter_places = models.PositiveIntegerField(
        default=0, help_text="Places in a shelter run for trafficking survivors; 0 if none."
    )
    capacity = coded(
        "provider_capacity", default="open", help_text="Whether it can take someone new now."
    )
    listed_publicly = models.BooleanField(
        default=False,
        help_text="Shown on the public directory, which anyone reads without signing in; "
        "the provider's choice.",
    )
    # None until the provider says: a directory must not claim "no ID needed" on its behalf.
    requires_id = models.BooleanField(
        null=True, blank=True, help_text="Asks for an identity document before helping someone."
    )
    requires_police_report = models.BooleanField(
        null=True, blank=True, help_text="Asks for a police report before helping someone."
    )
    contact_phone = models.CharField(
        max_length=30,
        blank=True,
        help_text="The organisation's line for the public to call or text; never a person's own.",
    )
    contact_texts = models.BooleanField(default=False, help_text="The line takes text messages.")
    contact_hours = models.CharField(
        max_length=120, blank=True, help_text="When the line, or the door, is answered."
    )
    walk_in = models.CharField(
        max_length=20,
        choices=WalkIn.choices,
        default=WalkIn.NONE,
        help_text="Whether people may come in person, and whether the address is public.",
    )
    walk_in_address = models.CharField(
        max_length=200,
        blank=True,
        help_text="The organisation's public address to come to; never a person's, nor a "
        "confidential place's.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last changed the entry.",
    )

    class Meta:
        ordering = ["provider__name"]
        constraints = [
            in_vocabulary("capacity", "provider_capacity"),
            models.CheckConstraint(
                condition=Q(walk_in__in=WalkIn.values),
                name="care_profile_walk_in_known",
                violation_error_message=f"walk_in must be one of: {', '.join(WalkIn.values)}.",
            ),
            models.CheckConstraint(
                condition=(Q(walk_in=WalkIn.ADDRESS) & ~Q(walk_in_address=""))
                | (~Q(walk_in=WalkIn.ADDRESS) & Q(walk_in_address="")),
                name="care_profile_address_only_to_walk_in_at",
                violation_error_message="A walk-in address is kept only when people may come to "
                "it; a confidential place's address is never stored.",
            ),
            models.CheckConstraint(
                condition=~Q(walk_in=WalkIn.ON_CONTACT) | ~Q(contact_phone=""),
                name="care_profile_address_on_contact_needs_a_line",
                violation_error_message="An address given on contact needs a line to contact.",
            ),
            models.CheckConstraint(
                condition=Q(listed_publicly=False)
                | (
                    Q(requires_id__isnull=False, requires_police_report__isnull=False)
                    & ~Q(contact_hours="")
                    & (~Q(contact_phone="") | Q(walk_in=WalkIn.ADDRESS))
                ),
                name="care_profile_public_entry_says_how_to_reach",
                violation_error_message="A public entry says whether it asks for an ID or a "
                "police report, how to reach the provider and when.",
            ),
        ]

    def __str__(self) -> str:
        return f"Directory entry of {self.provider}"

    def clean(self):
        """The entry describes a victim-service provider; its line is a number; an address is
        kept only for walking in; a public entry says how to reach the provider and what it asks
        for. Each message names the field as the provider's page labels it."""
        super().clean()
        if self.provider_id and self.provider.kind != PROVIDER_KIND:
            raise ValidationError(
                {"provider": f"{self.provider} is not a victim-service provider."}
            )
        errors: dict[str, str] = {}
        self._clean_contact(errors)
        if self.listed_publicly:
            self._clean_public(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_contact(self, errors: dict[str, str]) -> None:
        line = self.contact_phone
        digits = sum(character.isdigit() for character in line)
        if line and (not _LINE.match(line) or not _LINE_DIGITS[0] <= digits <= _LINE_DIGITS[1]):
            errors["contact_phone"] = (
                f"Phone or text line: '{line}' is not a telephone number. Write its digits, "
                "with the area code, such as (510) 555-0142."
            )
        if self.contact_texts and not line:
            errors["contact_texts"] = (
                "A line that takes text messages needs its number under 'Phone or text line'."
            )
        if self.walk_in == WalkIn.ADDRESS and not self.walk_in_address:
            errors["walk_in_address"] = (
                "Walk-in address: give the address people can come to, or choose 'Address "
                "given on contact' if the place must stay confidential."
            )
        elif self.walk_in != WalkIn.ADDRESS and self.walk_in_address:
            errors["walk_in_address"] = (
                "Walk-in address: leave it empty unless people can come to this address. A "
                "confidential place's address is never written here: it is given on contact."
            )
        if self.walk_in == WalkIn.ON_CONTACT and not line and "contact_phone" not in errors:
            errors["contact_phone"] = (
                "Phone or text line: give the line people call or text to be given the address."
            )

    def _clean_public(self, errors: dict[str, str]) -> None:
        if self.requires_id is None:
            errors["requires_id"] = (
                "Say whether you ask for an ID before helping someone: the public directory "
                "shows it."
            )
        if self.requires_police_report is None:
            errors["requires_police_report"] = (
                "Say whether you ask for a police report before helping someone: the public "
                "directory shows it."
            )
        if not self.contact_phone and self.walk_in != WalkIn.ADDRESS:
            errors.setdefault(
                "contact_phone",
                "Phone or text line: the public directory must say how to reach you safely; "
                "give a line, or an address people can walk in at.",
            )
        if not self.contact_hours:
            errors["contact_hours"] = (
                "When you answer: say when people can reach you, such as '24 hours, every day', "
                "for the public directory."
            )

    def codes_of(self, list_name: str) -> list[str]:
        """One of the entry's lists, in vocabulary order (reads prefetched ``codes``)."""
        held = {code.code for code in self.codes.all() if code.list == list_name}
        return [code for code in listable_codes(list_name) if code in held]

    @property
    def services(self) -> list[str]:
        return self.codes_of(DirectoryList.SERVICES)

    @property
    def languages(self) -> list[str]:
        return self.codes_of(DirectoryList.LANGUAGES)

    @property
    def gender_identities(self) -> list[str]:
        return self.codes_of(DirectoryList.GENDER_IDENTITIES)

    @property
    def age_groups(self) -> list[str]:
        return self.codes_of(DirectoryList.AGE_GROUPS)

    @property
    def counties(self) -> list[str]:
        return self.codes_of(DirectoryList.COUNTIES)

    @property
    def serves_minors(self) -> bool:
        minors = set(vocabulary("age_group").codes_where("is_minor", True))
        return bool(minors & set(self.age_groups))


class ProfileCode(models.Model):
    """One code of one list of a directory entry. Rows rather than a JSON list, so that finding
    a provider filters in the database the same way on SQLite and PostgreSQL."""

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="codes")
    list = models.CharField(max_length=20, choices=DirectoryList.choices)
    code = models.CharField(max_length=40)

    class Meta:
        ordering = ["profile", "list", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "list", "code"],
                name="care_profile_code_once_per_list",
                violation_error_message="This code is already in this list.",
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(list=list_name, code__in=listable_codes(list_name))
                        for list_name in DirectoryList.values
                    ],
                    _connector=Q.OR,
                ),
                name="care_profile_code_in_its_vocabulary",
                violation_error_message="Each code must belong to the vocabulary of its list.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_list_display()}: {self.code}"


def _today() -> datetime.date:
    return timezone.localdate()


class Referral(CodedRecord):
    """A referral of one person (an encounter) to one victim-service provider for one or more
    services, with the person's recorded consent to share or a recorded override, and the
    provider's dated answer and follow-through.

    Sending a referral with consent records one accepted ``ServiceOffer`` per service (the person
    accepting the offer), which the indicators count as offered and accepted. Once the provider
    accepts the referral as well, its caseworkers see the person, within ``shared_scope``
    (``permissions.referrals_reaching_the_person``).
    """

    code_prefix = "RF"

    encounter = models.ForeignKey(
        Encounter,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The person referred.",
    )
    provider = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        help_text="The victim-service provider the referral goes to.",
    )
    referring_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        help_text="The agency that sent the referral.",
    )
    offers = models.ManyToManyField(
        ServiceOffer,
        blank=True,
        related_name="referrals",
        help_text="The service offers the referral recorded, one per service.",
    )
    follow_ups = models.ManyToManyField(
        FollowUp,
        blank=True,
        related_name="referrals",
        help_text="Follow-ups the provider recorded under this referral.",
    )
    sent_on = models.DateField(help_text="The day the referral was sent.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = coded("referral_status", default="sent", help_text="Where the referral stands.")
    accepted_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    services_started_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The caseworker who accepted or declined the referral.",
    )
    decline_reason = coded("decline_reason", blank=True, help_text="Why the provider declined.")
    decline_explanation = models.TextField(
        blank=True,
        help_text="Why, in a few words, when the reason is 'other'. About the decision only: "
        "never a name or a detail of the person.",
    )
    consent_given_on = models.DateField(
        null=True, blank=True, help_text="The day the person consented to share."
    )
    consent_organisation = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organisation the consent covers: the referral's provider.",
    )
    consent_scope = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the consent_scope vocabulary: what the provider may be told.",
    )
    consent_overridden = models.BooleanField(
        default=False,
        help_text="Sent without the person's consent, under an override with a written reason.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_on", "-created_at"]
        constraints = [
            in_vocabulary("status", "referral_status"),
            in_vocabulary("decline_reason", "decline_reason", blank=True),
            models.CheckConstraint(
                condition=Q(
                    status="sent",
                    accepted_on__isnull=True,
                    declined_on__isnull=True,
                    services_started_on__isnull=True,
                    closed_on__isnull=True,
                )
                | Q(
                    status="accepted",
                    accepted_on__isnull=False,
                    declined_on__isnull=True,
                    services_started_on__isnull=True,
                    closed_on__isnull=True,
                )
                | Q(
                    status="declined",
                    declined_on__isnull=False,
                    accepted_on__isnull=True,
                    services_started_on__isnull=True,
                    closed_on__isnull=True,
                )
                | Q(
                    status="services_started",
                    accepted_on__isnull=False,
                    services_started_on__isnull=False,
                    declined_on__isnull=True,
                    closed_on__isnull=True,
                )
                | Q(
                    status="closed",
                    accepted_on__isnull=False,
                    closed_on__isnull=False,
                    declined_on__isnull=True,
                ),
                name="care_referral_status_matches_its_dates",
                violation_error_message="The referral's status does not match its dates.",
            ),
            models.CheckConstraint(
                condition=(Q(status="declined") & ~Q(decline_reason=""))
                | (~Q(status="declined") & Q(decline_reason="", decline_explanation="")),
                name="care_referral_declined_with_a_reason",
                violation_error_message="A declined referral has a reason; no other one has.",
            ),
            models.CheckConstraint(
                condition=(Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("sent_on")))
                & (Q(declined_on__isnull=True) | Q(declined_on__gte=F("sent_on")))
                & (
                    Q(services_started_on__isnull=True)
                    | Q(services_started_on__gte=F("accepted_on"))
                )
                & (Q(closed_on__isnull=True) | Q(closed_on__gte=F("accepted_on")))
                & (
                    Q(closed_on__isnull=True)
                    | Q(services_started_on__isnull=True)
                    | Q(closed_on__gte=F("services_started_on"))
                ),
                name="care_referral_steps_in_date_order",
                violation_error_message="A referral's steps happen in order: sent, answered, "
                "services started, closed.",
            ),
            models.CheckConstraint(
                condition=Q(
                    consent_overridden=False,
                    consent_given_on__isnull=False,
                    consent_organisation__isnull=False,
                    consent_given_on__lte=F("sent_on"),
                    consent_organisation=F("provider"),
                )
                | Q(
                    consent_overridden=True,
                    consent_given_on__isnull=True,
                    consent_organisation__isnull=True,
                ),
                name="care_referral_has_consent_or_an_override",
                violation_error_message="A referral carries the person's consent to share with "
                "its provider, given before it was sent, or a consent override.",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self):
        """The provider is a victim-service provider; dates are in order, not before the
        encounter and not in the future; consent covers this provider and was given before the
        referral went; a decline has a reason, and 'other' an explanation."""
        super().clean()
        errors: dict[str, str] = {}
        if self.provider_id and self.provider.kind != PROVIDER_KIND:
            errors["provider"] = (
                f"Referrals go to a victim-service provider; {self.provider} is not one."
            )
        self._check_dates(errors)
        if not self.consent_overridden:
            self._check_consent(errors)
        if self.status == "declined" and not self.decline_reason:
            errors["decline_reason"] = "Say why the referral is declined."
        elif (
            self.decline_reason
            in vocabulary("decline_reason").codes_where("needs_explanation", True)
            and not self.decline_explanation.strip()
        ):
            errors["decline_explanation"] = (
                "Explain the reason in a few words (about the decision, not about the person)."
            )
        if errors:
            raise ValidationError(errors)

    def _check_dates(self, errors: dict[str, str]) -> None:
        today = _today()
        for name in (
            "consent_given_on",
            "sent_on",
            "accepted_on",
            "declined_on",
            "services_started_on",
            "closed_on",
        ):
            value = getattr(self, name)
            if value is not None and value > today:
                errors[name] = f"This date ({value}) is in the future."
        if self.encounter_id:
            met = self.encounter.encountered_on
            for name, message in (
                ("consent_given_on", "Consent cannot be given before the encounter"),
                ("sent_on", "A referral cannot be sent before the encounter"),
            ):
                value = getattr(self, name)
                if value is not None and value < met and name not in errors:
                    errors[name] = f"{message} ({met})."
        order = [
            ("accepted_on", "sent_on", "A referral cannot be accepted before it was sent"),
            ("declined_on", "sent_on", "A referral cannot be declined before it was sent"),
            (
                "services_started_on",
                "accepted_on",
                "Services cannot start before the referral was accepted",
            ),
            ("closed_on", "accepted_on", "A referral cannot close before it was accepted"),
            ("closed_on", "services_started_on", "A referral cannot close before services started"),
        ]
        for later, earlier, message in order:
            after, before = getattr(self, later), getattr(self, earlier)
            if after and before and after < before and later not in errors:
                errors[later] = f"{message} ({before})."

    def _check_consent(self, errors: dict[str, str]) -> None:
        if self.consent_given_on is None:
            errors["consent_given_on"] = (
                "Record the day the person consented to share their information with the "
                "provider. Without consent, a referral can be sent only under a consent override."
            )
        elif (
            self.sent_on
            and self.consent_given_on > self.sent_on
            and not {"consent_given_on", "sent_on"} & errors.keys()
        ):
            errors["consent_given_on"] = (
                f"Consent must be given before or on the day the referral is sent ({self.sent_on})."
            )
        if self.consent_organisation_id is None:
            errors["consent_organisation"] = "Say which organisation the consent covers."
        elif self.provider_id and self.consent_organisation_id != self.provider_id:
            errors["consent_organisation"] = (
                f"The consent covers {self.consent_organisation}, not {self.provider}, where "
                "this referral goes. Ask the person's consent for this provider."
            )
        scope = vocabulary("consent_scope")
        given = self.consent_scope
        if not isinstance(given, list) or not all(isinstance(code, str) for code in given):
            errors["consent_scope"] = "Give the scope of the consent as a list of codes."
            return
        unknown = [code for code in given if code not in scope.codes]
        required = [code for code in scope.codes_where("required", True) if code not in given]
        if unknown:
            errors["consent_scope"] = (
                f"Unknown consent scope code(s) {', '.join(unknown)}; "
                f"use: {', '.join(scope.codes)}."
            )
        elif len(set(given)) != len(given):
            errors["consent_scope"] = "A consent scope code is listed twice."
        elif required:
            errors["consent_scope"] = (
                "The consent must at least cover "
                + ", ".join(scope.label(code).lower() for code in required)
                + ": a referral cannot be sent without sharing it."
            )

    @property
    def services(self) -> list[str]:
        """The services referred, in catalogue order (one offer each)."""
        held = {offer.service_type for offer in self.offers.all()}
        return [code for code in vocabulary("service_type").codes if code in held]

    @property
    def shared_scope(self) -> tuple[str, ...]:
        """What the provider may be told about the person now: until it accepts the referral,
        only the referral itself (the part every consent covers); then the consent's scope, or
        under an override only what the consent_scope vocabulary marks as shared without
        consent."""
        scope = vocabulary("consent_scope")
        if self.accepted_on is None:
            return scope.codes_where("required", True)
        if self.consent_overridden:
            return scope.codes_where("shared_under_override", True)
        return tuple(code for code in scope.codes if code in self.consent_scope)


class ConsentOverride(models.Model):
    """A referral sent without the person's consent: who decided it and why. Only an agency's
    administrator may override consent (``permissions.may_override_consent``); every override
    is in the audit log under its own type, "Consent override"."""

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="consent_override"
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(
        help_text="Why the referral goes without consent. About the decision only: never a name "
        "or a detail that identifies the person."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="care_consent_override_has_a_reason",
                violation_error_message="A consent override needs a written reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent override of {self.referral.code}"


class ServiceDelivery(models.Model):
    """A service the provider delivered under a referral it accepted (R61: services received,
    and still received six months on)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="deliveries")
    service_type = coded("service_type", help_text="One of the services referred.")
    delivered_on = models.DateField(help_text="The day the service was delivered.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "service deliveries"
        ordering = ["referral", "delivered_on", "created_at"]
        constraints = [in_vocabulary("service_type", "service_type")]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} delivered on {self.delivered_on}"

    def clean(self):
        """One of the referral's services, delivered after the referral was accepted (and after
        services started, once they have), never in the future."""
        super().clean()
        if not self.referral_id or self.delivered_on is None:
            return
        referral = self.referral
        errors: dict[str, str] = {}
        if self.service_type and self.service_type not in referral.services:
            referred = ", ".join(vocabulary("service_type").label(s) for s in referral.services)
            errors["service_type"] = (
                f"This referral is for: {referred}. Record only those services under it."
            )
        if self.delivered_on > _today():
            errors["delivered_on"] = f"This date ({self.delivered_on}) is in the future."
        elif referral.accepted_on and self.delivered_on < referral.accepted_on:
            errors["delivered_on"] = (
                f"A service cannot be delivered before the referral was accepted "
                f"({referral.accepted_on})."
            )
        elif referral.services_started_on and self.delivered_on < referral.services_started_on:
            errors["delivered_on"] = (
                f"Services under this referral started on {referral.services_started_on}; a "
                "delivery cannot be earlier."
            )
        if errors:
            raise ValidationError(errors)


class UnmetNeed(models.Model):
    """The unmet-need log: one row for every service a provider declined, with the reason, so
    that the indicators count the people the network could not serve and why (R65)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="unmet_needs")
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unmet_needs",
        help_text="The operation in which the person was encountered; empty for a person "
        "identified outside any operation.",
    )
    provider = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="unmet_needs",
        help_text="The provider that declined.",
    )
    service_type = coded("service_type", help_text="The service declined.")
    reason = coded("decline_reason", help_text="Why the provider declined.")
    declined_on = models.DateField(help_text="The day the provider declined.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declined_on", "provider__name", "service_type"]
        constraints = [
            in_vocabulary("service_type", "service_type"),
            in_vocabulary("reason", "decline_reason"),
            models.UniqueConstraint(
                fields=["referral", "service_type"],
                name="care_unmet_need_once_per_service",
                violation_error_message="This declined service is already in the log.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} declined: {self.get_reason_display()}"


class ReliefRequest(CodedRecord):
    """Immigration-relief paperwork an agency owes a person: a Continued Presence request, or a
    law-enforcement declaration for a T visa (Form I-914 Supplement B) or a U visa certification
    (Form I-918 Supplement B). Both reports find this paperwork is never finished (R-103, R63);
    each declaration runs on the clock of Cal. Penal Code § 679.11 or § 679.10, shorter when the
    person is in removal proceedings (docs/principles.md, Vocabulary)."""

    code_prefix = "RL"

    class Kind(models.TextChoices):
        CONTINUED_PRESENCE = "continued_presence", "Continued Presence"
        T_VISA_DECLARATION = "t_visa_declaration", "T visa declaration (Form I-914 Supplement B)"
        U_VISA_CERTIFICATION = (
            "u_visa_certification",
            "U visa certification (Form I-918 Supplement B)",
        )

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        GRANTED = "granted", "Granted"
        SIGNED = "signed", "Signed"
        DECLINED = "declined", "Declined"

    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, related_name="relief_requests"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="relief_requests",
        help_text="The agency asked to request, sign or certify.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    requested_on = models.DateField(help_text="The day the agency received the request.")
    in_removal_proceedings = models.BooleanField(
        default=False, help_text="Whether the person is in removal proceedings (a shorter clock)."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(
        blank=True,
        help_text="Why the agency declined, in its words. About the decision only: never a name "
        "or a detail of the person.",
    )
    # The 2009 report's providers saw Continued Presence approved six months before anyone gave
    # the person the document, and expire before its renewal: both dates are recorded.
    document_given_on = models.DateField(
        null=True,
        blank=True,
        help_text="For Continued Presence granted: the day the document was handed to the person.",
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        help_text="For a renewal of Continued Presence: the grant it renews.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_given_on__isnull=True)
                | Q(kind="continued_presence", status="granted"),
                name="care_relief_document_only_for_granted_presence",
                violation_error_message="Only a Continued Presence that was granted has a "
                "document to hand over.",
            ),
            models.CheckConstraint(
                condition=Q(document_given_on__isnull=True)
                | Q(document_given_on__gte=F("decided_on")),
                name="care_relief_document_given_after_grant",
                violation_error_message="The document cannot be handed over before the grant.",
            ),
            models.CheckConstraint(
                condition=Q(renews__isnull=True) | Q(kind="continued_presence"),
                name="care_relief_only_presence_is_renewed",
                violation_error_message="Only Continued Presence is renewed; a declaration is "
                "requested again as a new request.",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["continued_presence", "t_visa_declaration", "u_visa_certification"]
                ),
                name="care_relief_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_on__isnull=True)
                | (~Q(status="pending") & Q(decided_on__isnull=False)),
                name="care_relief_decision_is_dated",
                violation_error_message="A decision has its date; a pending request has none.",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("requested_on")),
                name="care_relief_decided_after_request",
                violation_error_message="A request cannot be decided before it was received.",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="care_relief_decline_has_reason",
                violation_error_message="Say why the request was declined.",
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(kind="continued_presence"),
                name="care_relief_only_continued_presence_is_granted",
                violation_error_message="Declarations are signed, not granted.",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | ~Q(kind="continued_presence"),
                name="care_relief_continued_presence_is_granted",
                violation_error_message="Continued Presence is granted, not signed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    def clean(self):
        """A renewal renews a Continued Presence of the same person that was granted, and is
        requested on or after that grant; dates are never in the future."""
        super().clean()
        errors: dict[str, str] = {}
        _not_in_future(self, ("requested_on", "decided_on", "document_given_on"), errors)
        renewed = self.renews
        if renewed is not None:
            if renewed.encounter_id != self.encounter_id:
                errors["renews"] = "A renewal renews a Continued Presence of the same person."
            elif renewed.status != self.Status.GRANTED or renewed.decided_on is None:
                errors["renews"] = "Only a Continued Presence that was granted can be renewed."
            elif self.requested_on and self.requested_on < renewed.decided_on:
                errors["requested_on"] = (
                    "A renewal cannot be requested before the grant it renews "
                    f"({renewed.decided_on})."
                )
        if errors:
            raise ValidationError(errors)


class Alert(models.Model):
    """Something due, overdue or flagged about one person's record, recomputed every day by
    ``alerts.refresh_alerts`` from the records themselves, so it can never drift from them.

    An alert carries the encounter's random code and the kind of thing due, never anything that
    identifies the person. Clock alerts clear when the thing is done; harms (a victim punished, an
    interview in the reflection period) stay flagged, because a harm that happened stays a harm
    that happened (principle 4).
    """

    class Kind(models.TextChoices):
        SERVICES_NOT_OFFERED = "services_not_offered", "No services offered yet"
        REFLECTION_PERIOD = "reflection_period", "Reflection period running"
        REFLECTION_BREACHED = "reflection_breached", "Asked to cooperate during reflection"
        INTERVIEW_CONDITIONS = "interview_conditions", "Interview not victim-centred"
        DECLARATION_DUE = "declaration_due", "Immigration declaration due"
        CONTINUED_PRESENCE_RENEWAL = "continued_presence_renewal", "Continued Presence renewal"
        FOLLOW_UP_DUE = "follow_up_due", "Follow-up due"
        NON_PUNISHMENT = "non_punishment", "Victim punished"
        RECORD_CLEARING_DUE = "record_clearing_due", "Record clearing not referred"
        COURT_DATE_SUPPORT = "court_date_support", "Court date without support"
        FAMILY_REUNIFICATION_WAITING = (
            "family_reunification_waiting",
            "Family reunification waiting",
        )
        CONTINUED_PRESENCE_PENDING = (
            "continued_presence_pending",
            "Continued Presence decision pending",
        )
        VICTIM_DETAINED = "victim_detained", "Victim held in detention"
        IMMIGRATION_BEFORE_SCREENING = (
            "immigration_before_screening",
            "Referred to immigration before screening",
        )
        ARREST_WITHOUT_SCREENING = "arrest_without_screening", "Arrested without screening"
        IMMIGRATION_PROCEEDINGS = "immigration_proceedings", "Immigration proceedings"
        FAMILY_SEPARATION = "family_separation", "Separated from family"
        VIOLENCE_RISK = "violence_risk", "Risk of violence at home"
        COOPERATION_UNANSWERED = "cooperation_unanswered", "Offer to cooperate unanswered"
        PLACEMENT_NOT_FREE = "placement_not_free", "Placement the person may not leave"

    class Status(models.TextChoices):
        DUE = "due", "Due"
        OVERDUE = "overdue", "Overdue"
        FLAGGED = "flagged", "Flagged"
        CLEARED = "cleared", "Cleared"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="alerts")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="alerts",
        help_text="The agency that must act: the lead agency of the person's operation, or the "
        "organisation that identified a person outside any operation.",
    )
    # What the alert is about, as a record key such as "care.reliefrequest:12", so that one
    # condition is one alert however often it is recomputed.
    about = models.CharField(max_length=80)
    rule = models.CharField(max_length=60, blank=True, help_text="The clock rule, if any.")
    due_on = models.DateField(null=True, blank=True)
    message = models.CharField(max_length=300)
    raised_on = models.DateField()
    cleared_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "about"],
                name="care_alert_once_per_condition",
                violation_error_message="This alert already exists.",
            ),
            models.CheckConstraint(
                condition=Q(status="cleared", cleared_on__isnull=False)
                | (~Q(status="cleared") & Q(cleared_on__isnull=True)),
                name="care_alert_cleared_is_dated",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.encounter.code}"


# --- Family reunification, court dates and record clearing -------------------------------------
# Issue 7, "Follow-through on clocks". Each record is about one person (an encounter) and holds
# only counts, closed lists and dates: nothing about the person's family, case or court names
# anyone, and there is no free text at all, because a note about a family or a court case is
# exactly where names, places and stories creep in (principle 1).


def _known(field: str, choices: type[models.TextChoices], *, blank: bool = False):
    values = list(choices.values) + ([""] if blank else [])
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": values}),
        name=f"care_%(class)s_{field}_known",
        violation_error_message=f"{field} must be one of: {', '.join(choices.values)}.",
    )


def _not_in_future(record: models.Model, names: Iterable[str], errors: dict[str, str]) -> None:
    today = _today()
    for name in names:
        value = getattr(record, name)
        if value is not None and value > today and name not in errors:
            errors[name] = f"This date ({value}) is in the future; record what has happened."


def _not_before_encounter(
    record: models.Model, name: str, message: str, errors: dict[str, str]
) -> None:
    value = getattr(record, name)
    if record.encounter_id and value is not None and name not in errors:
        met = record.encounter.encountered_on
        if value < met:
            errors[name] = f"{message} ({met})."


def _in_order(record: models.Model, order, errors: dict[str, str]) -> None:
    for later, earlier, message in order:
        after, before = getattr(record, later), getattr(record, earlier)
        if after and before and after < before and later not in errors:
            errors[later] = f"{message} ({before})."


# The closed lists of these records live at module level, where the models' constraints can name
# them, and each model carries them under short names (``FamilyReunification.Status``).


class FamilyRelationship(models.TextChoices):
    CHILDREN = "children", "Children"
    PARTNER = "partner", "Partner or spouse"
    PARENTS = "parents", "Parents"
    SIBLINGS = "siblings", "Brothers or sisters"
    OTHER_RELATIVES = "other_relatives", "Other relatives"


class FamilyWhereabouts(models.TextChoices):
    IN_THIS_COUNTRY = "in_this_country", "In this country"
    IN_ANOTHER_COUNTRY = "in_another_country", "In another country"
    BOTH = "both", "Some in this country, some in another"
    UNKNOWN = "unknown", "Not known"


class FamilySafety(models.TextChoices):
    NONE_KNOWN = "none_known", "No concern known"
    CONCERN = "concern", "There is a concern for their safety"
    UNKNOWN = "unknown", "Not known yet"


class FamilyConcern(models.TextChoices):
    THREATS = "threats", "Threats or violence against the family"
    DEBT_EXTORTION = "debt_extortion", "Demands for money over a trafficking debt"
    CHILDREN_WITH_TRAFFICKER = (
        "children_with_trafficker",
        "Children living with the trafficker or the trafficker's family",
    )
    OTHER = "other", "Another danger"


class FamilyReunificationStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    IN_PROGRESS = "in_progress", "In progress"
    REUNITED = "reunited", "Reunited"
    NOT_POSSIBLE = "not_possible", "Not possible"
    WITHDRAWN = "withdrawn", "Withdrawn by the person"


class FamilyNotPossibleReason(models.TextChoices):
    SAFETY_RISK = "safety_risk", "It would put the person or the family at risk"
    FAMILY_NOT_FOUND = "family_not_found", "The family members could not be found"
    TRAVEL_OR_IMMIGRATION = "travel_or_immigration", "A travel or immigration barrier"
    FAMILY_DECLINED = "family_declined", "The family members did not want it"
    OTHER = "other", "Another reason"


class FamilyReunification(CodedRecord):
    """A person's wish to be reunited with family members, the safety of those family members,
    and where the request stands.

    The 2009 report asks that reunification be prioritised, facilitated and expedited "if desired
    by individuals who have been trafficked" (R-089: 000:717-719, 000:871-874, 001:203), and that
    family members at risk of retaliation, including those abroad, be protected (R-090:
    000:711-717, 000:4297-4300). Its section "Family reunification" (000:4251-4305) names the
    dangers a family faces, which are the closed list of concerns here: threats, extortion over
    a trafficking "debt", and children living with the trafficker or the trafficker's family.

    Family members are a count and kinds of relationship, where they are is "here or abroad",
    and a safety concern is a choice from that list: never a name, a place or a story.
    """

    code_prefix = "FR"

    Relationship = FamilyRelationship
    Whereabouts = FamilyWhereabouts
    Safety = FamilySafety
    Concern = FamilyConcern
    Status = FamilyReunificationStatus
    NotPossibleReason = FamilyNotPossibleReason

    OPEN = (Status.REQUESTED, Status.IN_PROGRESS)

    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, related_name="family_reunifications"
    )
    requested_on = models.DateField(help_text="The day the person asked to be reunited.")
    members_count = models.PositiveSmallIntegerField(
        help_text="How many family members the request is about."
    )
    includes_children = models.BooleanField(default=False)
    includes_partner = models.BooleanField(default=False)
    includes_parents = models.BooleanField(default=False)
    includes_siblings = models.BooleanField(default=False)
    includes_other_relatives = models.BooleanField(default=False)
    whereabouts = models.CharField(
        max_length=20,
        choices=Whereabouts.choices,
        default=Whereabouts.UNKNOWN,
        help_text="Where the family members are: this country or another, never a place.",
    )
    safety_concern = models.CharField(max_length=20, choices=Safety.choices, default=Safety.UNKNOWN)
    concern_threats = models.BooleanField(default=False)
    concern_debt_extortion = models.BooleanField(default=False)
    concern_children_with_trafficker = models.BooleanField(default=False)
    concern_other = models.BooleanField(default=False)
    safety_plan = models.BooleanField(
        default=False, help_text="A plan to protect the family members is in place."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    started_on = models.DateField(
        null=True, blank=True, help_text="The day work on the reunification started."
    )
    closed_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the family was reunited, reunification found not possible, or the "
        "request withdrawn.",
    )
    not_possible_reason = models.CharField(
        max_length=30, choices=NotPossibleReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_on", "code"]
        constraints = [
            _known("whereabouts", FamilyWhereabouts),
            _known("safety_concern", FamilySafety),
            _known("status", FamilyReunificationStatus),
            _known("not_possible_reason", FamilyNotPossibleReason, blank=True),
            models.CheckConstraint(
                condition=Q(members_count__gte=1),
                name="care_family_reunification_has_members",
                violation_error_message="A request is about at least one family member.",
            ),
            models.CheckConstraint(
                condition=Q(includes_children=True)
                | Q(includes_partner=True)
                | Q(includes_parents=True)
                | Q(includes_siblings=True)
                | Q(includes_other_relatives=True),
                name="care_family_reunification_names_a_relationship",
                violation_error_message="Say how the family members are related to the person.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(safety_concern="concern")
                    & (
                        Q(concern_threats=True)
                        | Q(concern_debt_extortion=True)
                        | Q(concern_children_with_trafficker=True)
                        | Q(concern_other=True)
                    )
                )
                | (
                    ~Q(safety_concern="concern")
                    & Q(
                        concern_threats=False,
                        concern_debt_extortion=False,
                        concern_children_with_trafficker=False,
                        concern_other=False,
                    )
                ),
                name="care_family_reunification_concern_says_what",
                violation_error_message="A safety concern says what the danger is; without a "
                "concern, no danger is ticked.",
            ),
            models.CheckConstraint(
                condition=Q(status="requested", started_on__isnull=True, closed_on__isnull=True)
                | Q(status="in_progress", started_on__isnull=False, closed_on__isnull=True)
                | Q(status__in=["reunited", "not_possible", "withdrawn"], closed_on__isnull=False),
                name="care_family_reunification_status_matches_its_dates",
                violation_error_message="The request's status does not match its dates.",
            ),
            models.CheckConstraint(
                condition=(Q(status="not_possible") & ~Q(not_possible_reason=""))
                | (~Q(status="not_possible") & Q(not_possible_reason="")),
                name="care_family_reunification_not_possible_with_a_reason",
                violation_error_message="A reunification found not possible has a reason; no "
                "other one has.",
            ),
            models.CheckConstraint(
                condition=(Q(started_on__isnull=True) | Q(started_on__gte=F("requested_on")))
                & (Q(closed_on__isnull=True) | Q(closed_on__gte=F("requested_on")))
                & (
                    Q(closed_on__isnull=True)
                    | Q(started_on__isnull=True)
                    | Q(closed_on__gte=F("started_on"))
                ),
                name="care_family_reunification_steps_in_date_order",
                violation_error_message="A request's steps happen in order: requested, started, "
                "closed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Family reunification {self.code}"

    @property
    def relationships(self) -> list[str]:
        return [code for code in self.Relationship.values if getattr(self, f"includes_{code}")]

    @property
    def concerns(self) -> list[str]:
        return [code for code in self.Concern.values if getattr(self, f"concern_{code}")]

    @property
    def relationship_labels(self) -> list[str]:
        return [self.Relationship(code).label for code in self.relationships]

    @property
    def concern_labels(self) -> list[str]:
        return [self.Concern(code).label for code in self.concerns]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def clean(self):
        """At least one family member, no fewer than the kinds of relative ticked; a concern says
        what the danger is; dates after the encounter, in order and not in the future; a
        reunification found not possible says why."""
        super().clean()
        errors: dict[str, str] = {}
        kinds = self.relationships
        if not kinds:
            errors["relationships"] = "Tick at least one: how the family members are related."
        elif self.members_count is not None and self.members_count < len(kinds):
            errors["members_count"] = (
                f"{len(kinds)} kinds of relative are ticked, so the request is about at least "
                f"{len(kinds)} family members, not {self.members_count}."
            )
        if self.safety_concern == self.Safety.CONCERN and not self.concerns:
            errors["concerns"] = (
                "Tick what the danger to the family is ('Another danger' if none of the others)."
            )
        elif self.safety_concern != self.Safety.CONCERN and self.concerns:
            errors["concerns"] = (
                "Dangers are ticked but no concern is recorded: choose 'There is a concern for "
                "their safety', or untick them."
            )
        _not_in_future(self, ("requested_on", "started_on", "closed_on"), errors)
        _not_before_encounter(
            self, "requested_on", "A request cannot be recorded before the encounter", errors
        )
        _in_order(
            self,
            [
                ("started_on", "requested_on", "Work cannot start before the request"),
                ("closed_on", "requested_on", "A request cannot close before it was made"),
                ("closed_on", "started_on", "A request cannot close before work on it started"),
            ],
            errors,
        )
        if self.status == self.Status.NOT_POSSIBLE and not self.not_possible_reason:
            errors["not_possible_reason"] = "Say why reunification is not possible."
        if errors:
            raise ValidationError(errors)


class CourtCapacity(models.TextChoices):
    WITNESS = "witness", "Witness"
    DEFENDANT = "defendant", "Defendant"
    PETITIONER = "petitioner", "Petitioner (record clearing)"


class CourtHearing(models.TextChoices):
    ARRAIGNMENT = "arraignment", "Arraignment"
    PRELIMINARY = "preliminary", "Preliminary hearing"
    PRETRIAL = "pretrial", "Pretrial hearing"
    TRIAL = "trial", "Trial"
    SENTENCING = "sentencing", "Sentencing"
    PETITION = "petition", "Hearing of a record-clearing petition"
    OTHER = "other", "Another hearing"


class CourtSupport(models.TextChoices):
    ADVOCATE = "advocate", "An advocate goes with the person"
    INTERPRETER = "interpreter", "An interpreter"
    TRANSPORT = "transport", "Transport to and from court"


class CourtOutcome(models.TextChoices):
    ATTENDED = "attended", "The person attended"
    NOT_ATTENDED = "not_attended", "The person did not attend"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class CourtDate(CodedRecord):
    """A day the person must be in court, as a witness, as a defendant, or as the petitioner of
    a record-clearing petition, the support arranged to get them there, and whether they went.

    The 2021 report asks for support through the justice system (R71): a trafficker kept a victim
    from attending her court date (002:937). In the 2009 report, missed or late court dates led
    to re-detention (R-034: 000:2621-2626). Support is an advocate going with the person, an
    interpreter, or transport; the person may decline it, which is recorded as such so that a
    refusal is never mistaken for support nobody arranged.
    """

    code_prefix = "CD"

    Capacity = CourtCapacity
    Hearing = CourtHearing
    Support = CourtSupport
    Outcome = CourtOutcome

    # Whether the person went is known only once the day has come; a postponement or a
    # cancellation may be announced before it.
    KNOWN_ON_THE_DAY = (Outcome.ATTENDED, Outcome.NOT_ATTENDED)

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="court_dates")
    hearing_on = models.DateField(help_text="The day of the hearing.")
    capacity = models.CharField(
        max_length=20, choices=Capacity.choices, help_text="Why the person is in court."
    )
    hearing_kind = models.CharField(max_length=20, choices=Hearing.choices)
    support_advocate = models.BooleanField(default=False)
    support_interpreter = models.BooleanField(default=False)
    support_transport = models.BooleanField(default=False)
    support_declined = models.BooleanField(
        default=False, help_text="The person declined support for this date."
    )
    outcome = models.CharField(
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text="What happened; empty until it is known.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hearing_on", "code"]
        constraints = [
            _known("capacity", CourtCapacity),
            _known("hearing_kind", CourtHearing),
            _known("outcome", CourtOutcome, blank=True),
            models.CheckConstraint(
                condition=Q(support_declined=False)
                | Q(support_advocate=False, support_interpreter=False, support_transport=False),
                name="care_court_date_support_arranged_or_declined",
                violation_error_message="Support is either arranged or declined by the person, "
                "not both.",
            ),
            models.CheckConstraint(
                condition=Q(capacity="petitioner", hearing_kind="petition")
                | (~Q(capacity="petitioner") & ~Q(hearing_kind="petition")),
                name="care_court_date_petitioner_at_a_petition_hearing",
                violation_error_message="The person is the petitioner at the hearing of a "
                "record-clearing petition, and only there.",
            ),
        ]

    def __str__(self) -> str:
        return f"Court date {self.code}"

    @property
    def support(self) -> list[str]:
        return [code for code in self.Support.values if getattr(self, f"support_{code}")]

    @property
    def support_labels(self) -> list[str]:
        return [self.Support(code).label for code in self.support]

    def clean(self):
        """Not before the encounter; support arranged or declined, not both; whether the person
        attended is recorded from the day of the hearing; a petitioner is at a petition hearing."""
        super().clean()
        errors: dict[str, str] = {}
        _not_before_encounter(
            self, "hearing_on", "Court dates followed here come after the encounter", errors
        )
        if self.support_declined and self.support:
            errors["support_declined"] = (
                "Support is ticked as arranged, so the person has not declined it: untick one."
            )
        if (
            self.outcome in self.KNOWN_ON_THE_DAY
            and self.hearing_on is not None
            and self.hearing_on > _today()
        ):
            errors["outcome"] = (
                f"The hearing is on {self.hearing_on}: whether the person attended is recorded "
                "from that day on. A postponement or a cancellation can be recorded now."
            )
        petitioner = self.capacity == self.Capacity.PETITIONER
        if petitioner != (self.hearing_kind == self.Hearing.PETITION):
            errors["hearing_kind"] = (
                "The person is the petitioner at the hearing of a record-clearing petition, and "
                "only there: choose both or neither."
            )
        if errors:
            raise ValidationError(errors)


class ClearingRemedy(models.TextChoices):
    VACATUR = "vacatur", "Vacatur"
    EXPUNGEMENT = "expungement", "Expungement"
    SEALING = "sealing", "Sealing of records"


class RecordClearingStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    FILED = "filed", "Petition filed"
    GRANTED = "granted", "Granted"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ClearingDenialReason(models.TextChoices):
    NOT_DIRECT_RESULT = (
        "not_direct_result",
        "The court did not find the offence was a direct result of being trafficked",
    )
    OFFENCE_NOT_COVERED = "offence_not_covered", "The offence is not one the remedy covers"
    PROCEDURAL = "procedural", "A procedural ground (timing, filing or jurisdiction)"
    OTHER = "other", "Another reason"


class RecordClearing(CodedRecord):
    """A referral to clear the criminal record of a person arrested, cited or charged for what
    they were made to do: vacatur, expungement or sealing, and what became of it.

    The 2021 report asks for record clearing among the services (R71): criminal records bar
    victims from jobs, housing and their children's schools (002:937), and a survivor's arrests
    "have yet to be expunged" (fn 143, 002:609). In the 2009 report a woman served months in jail
    for prostitution she was forced into (R-111: 000:2143-2145). The service catalogue lists
    record clearing (docs/principles.md, Vocabulary). In California, Penal Code § 236.14 (added
    by SB 823, Stats. 2016 ch. 650) lets a person arrested for or convicted of a nonviolent
    offence committed while a victim of trafficking petition to vacate it; the statute is cited
    from its own text, not from the project's sources.
    """

    code_prefix = "RC"

    Remedy = ClearingRemedy
    Status = RecordClearingStatus
    DenialReason = ClearingDenialReason

    OPEN = (Status.REFERRED, Status.FILED)

    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, related_name="record_clearings"
    )
    remedy = models.CharField(max_length=20, choices=Remedy.choices)
    referred_on = models.DateField(help_text="The day the person was referred.")
    referred_to = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_clearings_received",
        help_text="The victim-service or legal provider the person was referred to, when it is "
        "in the directory.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRED)
    filed_on = models.DateField(null=True, blank=True, help_text="The day the petition was filed.")
    closed_on = models.DateField(
        null=True, blank=True, help_text="The day it was granted, denied or withdrawn."
    )
    denial_reason = models.CharField(max_length=30, choices=DenialReason.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "code"]
        constraints = [
            _known("remedy", ClearingRemedy),
            _known("status", RecordClearingStatus),
            _known("denial_reason", ClearingDenialReason, blank=True),
            models.CheckConstraint(
                condition=Q(status="referred", filed_on__isnull=True, closed_on__isnull=True)
                | Q(status="filed", filed_on__isnull=False, closed_on__isnull=True)
                | Q(
                    status__in=["granted", "denied"],
                    filed_on__isnull=False,
                    closed_on__isnull=False,
                )
                | Q(status="withdrawn", closed_on__isnull=False),
                name="care_record_clearing_status_matches_its_dates",
                violation_error_message="The record clearing's status does not match its dates: "
                "a petition is filed before it is granted or denied.",
            ),
            models.CheckConstraint(
                condition=(Q(status="denied") & ~Q(denial_reason=""))
                | (~Q(status="denied") & Q(denial_reason="")),
                name="care_record_clearing_denied_with_a_reason",
                violation_error_message="A denied petition has a reason; no other one has.",
            ),
            models.CheckConstraint(
                condition=(Q(filed_on__isnull=True) | Q(filed_on__gte=F("referred_on")))
                & (Q(closed_on__isnull=True) | Q(closed_on__gte=F("referred_on")))
                & (
                    Q(closed_on__isnull=True)
                    | Q(filed_on__isnull=True)
                    | Q(closed_on__gte=F("filed_on"))
                ),
                name="care_record_clearing_steps_in_date_order",
                violation_error_message="A record clearing's steps happen in order: referred, "
                "filed, decided.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_remedy_display()} {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def clean(self):
        """Referred to a victim-service provider, if to one in the directory; dates after the
        encounter, in order and not in the future; a denial says why."""
        super().clean()
        errors: dict[str, str] = {}
        if self.referred_to_id and self.referred_to.kind != PROVIDER_KIND:
            errors["referred_to"] = (
                f"{self.referred_to} is not a victim-service provider; refer the person to one, "
                "or leave the provider empty."
            )
        _not_in_future(self, ("referred_on", "filed_on", "closed_on"), errors)
        _not_before_encounter(
            self, "referred_on", "A referral cannot be made before the encounter", errors
        )
        _in_order(
            self,
            [
                ("filed_on", "referred_on", "A petition cannot be filed before the referral"),
                ("closed_on", "referred_on", "It cannot end before the referral"),
                ("closed_on", "filed_on", "A petition cannot be decided before it was filed"),
            ],
            errors,
        )
        if self.status == self.Status.DENIED and not self.denial_reason:
            errors["denial_reason"] = "Say on what ground the petition was denied."
        if errors:
            raise ValidationError(errors)


# --- Harms after an operation, and placements --------------------------------------------------
# Issue 22. What an operation leaves behind that neither the operation's own record nor the
# referral shows: immigration proceedings that followed it, a family separated, a
# home that became dangerous; and where the person was placed, on which conditions
# . Closed lists, yes/no answers and dates only, no free text (principle 1).


class HarmKind(models.TextChoices):
    NOTICE_TO_APPEAR = "notice_to_appear", "Served a Notice to Appear"
    IMMIGRATION_DETENTION = "immigration_detention", "Held in immigration detention"
    REMOVAL_ORDERED = "removal_ordered", "Ordered removed"
    REMOVED = "removed", "Removed (deported)"
    FAMILY_SEPARATION = "family_separation", "Separated from children or family"
    VIOLENCE_RISK = "violence_risk", "At risk of violence at home"


class Harm(CodedRecord):
    """A harm that followed an operation, recorded by whoever learns of it (a caseworker, a
    steward). A harm that happened stays recorded (principle 4): it is never cleared, and each
    raises a flag on the person's page and counts in the indicators of the operation."""

    code_prefix = "HM"

    Kind = HarmKind
    # Immigration proceedings after an operation (R-162: 483 people in 2008 alone).
    IMMIGRATION = (
        HarmKind.NOTICE_TO_APPEAR,
        HarmKind.IMMIGRATION_DETENTION,
        HarmKind.REMOVAL_ORDERED,
        HarmKind.REMOVED,
    )

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="harms")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField(
        help_text="The day it happened, or the day it was learned if that is all that is known."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "code"]
        constraints = [
            _known("kind", HarmKind),
            models.UniqueConstraint(
                fields=["encounter", "kind", "occurred_on"],
                name="care_harm_once_per_day",
                violation_error_message="This harm is already recorded for that day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    def clean(self):
        """Not before the encounter, not in the future."""
        super().clean()
        errors: dict[str, str] = {}
        _not_in_future(self, ("occurred_on",), errors)
        _not_before_encounter(
            self, "occurred_on", "A harm after the operation cannot precede the encounter", errors
        )
        if errors:
            raise ValidationError(errors)


class PlacementSetting(models.TextChoices):
    SHELTER = "shelter", "Shelter"
    SAFE_HOUSE = "safe_house", "Safe house or transitional housing"
    HOTEL = "hotel", "Hotel or motel"
    HOSPITAL = "hospital", "Hospital"
    PROTECTIVE_CUSTODY = "protective_custody", "Protective custody"
    OTHER = "other", "Other"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Placement(CodedRecord):
    """Where a person was placed after an operation or identification, and on which conditions:
    whether they were free to leave, had a phone, had staff who speak their language, whether it
    was locked, and how long they may stay. Housing must not feel like detention (R-086); the
    2009 protocol asks "Were you able to come and go as you pleased?" (R-029). A placement the
    person may not leave raises an alert: that is detention, whatever it is called."""

    code_prefix = "PLC"

    Setting = PlacementSetting

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="placements")
    provider = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        help_text="The organisation that runs the placement, if it is in the directory.",
    )
    setting = models.CharField(max_length=30, choices=Setting.choices)
    placed_on = models.DateField(help_text="The day the person was placed.")
    ended_on = models.DateField(null=True, blank=True, help_text="The day the placement ended.")
    free_to_leave = models.CharField(
        max_length=10,
        choices=Answer.choices,
        help_text="Could the person come and go as they pleased?",
    )
    phone_access = models.CharField(max_length=10, choices=Answer.choices)
    staff_speak_language = models.CharField(
        max_length=10,
        choices=Answer.choices,
        help_text="Were there staff who speak the person's language?",
    )
    locked = models.CharField(max_length=10, choices=Answer.choices)
    time_limit_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The longest stay the placement allows, in days; empty if it has no limit.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["placed_on", "code"]
        constraints = [
            _known("setting", PlacementSetting),
            _known("free_to_leave", Answer),
            _known("phone_access", Answer),
            _known("staff_speak_language", Answer),
            _known("locked", Answer),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("placed_on")),
                name="care_placement_ends_after_it_starts",
                violation_error_message="A placement cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(locked="yes") | ~Q(free_to_leave="yes"),
                name="care_placement_locked_is_not_free",
                violation_error_message="A locked placement is not one the person is free to "
                "leave.",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_days__isnull=True) | Q(time_limit_days__gte=1),
                name="care_placement_time_limit_positive",
                violation_error_message="A time limit is at least one day; leave it empty if "
                "there is none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_setting_display()} {self.code}"

    @property
    def is_detention(self) -> bool:
        """The person may not leave: locked, or said not free to leave."""
        return self.free_to_leave == Answer.NO or self.locked == Answer.YES

    def clean(self):
        """In a provider of the directory if one is named; dates after the encounter, in order,
        not in the future."""
        super().clean()
        errors: dict[str, str] = {}
        if self.provider_id and self.provider.kind != PROVIDER_KIND:
            errors["provider"] = (
                f"{self.provider} is not a victim-service provider; name one, or leave it empty."
            )
        _not_in_future(self, ("placed_on", "ended_on"), errors)
        _not_before_encounter(
            self, "placed_on", "A placement cannot start before the encounter", errors
        )
        _in_order(
            self, [("ended_on", "placed_on", "A placement cannot end before it starts")], errors
        )
        if self.locked == Answer.YES and self.free_to_leave == Answer.YES and not errors:
            errors["free_to_leave"] = "A locked placement is not one the person is free to leave."
        if errors:
            raise ValidationError(errors)
