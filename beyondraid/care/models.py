"""The victim-service network: the provider directory, referrals with consent, the provider's
answer, the services delivered, and the unmet-need log.

Sources: 2009 catalog §2C (R-079 immediate, unconditional services; R-080 services never depend
on cooperation; R-083 referral as soon as possible; R-091 services in the person's language;
R-119 stale cases) and 2021 catalog §2.D (R56 offer services to every suspected victim, R58 never
contingent on cooperation, R65 capacity, waiting lists, denial reasons and the unmet-need log,
R73 providers ready at any hour) and §2.J (R129 law enforcement and providers working together).

Nothing here identifies a person (BRIEF §4 rule 1): a referral points at an ``Encounter``, whose
code is random, and carries only codes and dates. The two free texts, the reason for a consent
override and the explanation of a decline, are about a decision, never about the person.

No model here has a field about cooperation with law enforcement, and none links to a
``CooperationRecord`` (BRIEF §4 rule 3): nothing can make a referral depend on it.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from beyondraid.core.codes import new_code
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

PROVIDER_KIND = "victim_service_provider"


class DirectoryList(models.TextChoices):
    """The lists of codes a provider's directory entry holds."""

    SERVICES = "services", "Services offered"
    LANGUAGES = "languages", "Languages spoken"
    GENDER_IDENTITIES = "gender_identities", "Gender identities served"
    AGE_GROUPS = "age_groups", "Age groups served"


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


def listable_codes(list_name: str) -> tuple[str, ...]:
    """The codes a provider may put in one of its directory lists, in vocabulary order."""
    name, left_out = _LIST_VOCABULARIES[list_name]
    return tuple(code for code in vocabulary(name).codes if code not in left_out)


def listable_choices(list_name: str) -> list[tuple[str, str]]:
    name, _ = _LIST_VOCABULARIES[list_name]
    return [(code, vocabulary(name).label(code)) for code in listable_codes(list_name)]


def checked_lists(lists: dict[str, Iterable[str] | None]) -> dict[str, list[str]]:
    """The directory lists as given, each checked: a non-empty list of known codes, none twice.
    ``None`` leaves a list out. Raises ``ValidationError`` keyed by list name."""
    errors: dict[str, str] = {}
    checked: dict[str, list[str]] = {}
    for list_name, given in lists.items():
        if given is None:
            continue
        codes = [given] if isinstance(given, str) else list(given)
        label = DirectoryList(list_name).label.lower()
        allowed = listable_codes(list_name)
        unknown = [code for code in codes if code not in allowed]
        if not codes:
            errors[list_name] = f"Choose at least one: the directory lists the {label}."
        elif unknown:
            errors[list_name] = (
                f"{', '.join(map(str, unknown))} cannot be listed among the {label}; "
                f"use codes from: {', '.join(allowed)}."
            )
        elif len(set(codes)) != len(codes):
            errors[list_name] = f"A code is listed twice among the {label}."
        else:
            checked[list_name] = codes
    if errors:
        raise ValidationError(errors)
    return checked


class ProviderProfile(models.Model):
    """A victim-service organisation's entry in the directory: what it offers, to whom, in which
    languages, and whether it can take someone now. The provider keeps it up to date itself
    (R65 capacity and waiting lists; R73 answering at any hour; R-091 language)."""

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
        constraints = [in_vocabulary("capacity", "provider_capacity")]

    def __str__(self) -> str:
        return f"Directory entry of {self.provider}"

    def clean(self):
        """The entry describes a victim-service provider."""
        super().clean()
        if self.provider_id and self.provider.kind != PROVIDER_KIND:
            raise ValidationError(
                {"provider": f"{self.provider} is not a victim-service provider."}
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


class Referral(models.Model):
    """A referral of one person (an encounter) to one victim-service provider for one or more
    services, with the person's recorded consent to share or a recorded override, and the
    provider's dated answer and follow-through.

    Sending a referral with consent records one accepted ``ServiceOffer`` per service (the person
    accepting the offer): that is what lets the provider's caseworkers see the person under the
    standard's access rule, and what the indicators count as offered and accepted.
    """

    code = models.CharField(max_length=20, unique=True, editable=False)
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

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code("RF")
        super().save(*args, **kwargs)

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
        """What the provider may be told about the person: the consent's scope, or under an
        override only what the consent_scope vocabulary marks as shared without consent."""
        scope = vocabulary("consent_scope")
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
        related_name="unmet_needs",
        help_text="The operation in which the person was encountered.",
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


class ReliefRequest(models.Model):
    """Immigration-relief paperwork an agency owes a person: a Continued Presence request, or a
    law-enforcement declaration for a T visa (Form I-914 Supplement B) or a U visa certification
    (Form I-918 Supplement B). Both reports find this paperwork is never finished (R-103, R63);
    each declaration runs on the clock of Cal. Penal Code § 679.11 or § 679.10, shorter when the
    person is in removal proceedings (BRIEF §5)."""

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

    code = models.CharField(max_length=20, unique=True, editable=False)
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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "code"]
        constraints = [
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

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code("RL")
        super().save(*args, **kwargs)


class Alert(models.Model):
    """Something due, overdue or flagged about one person's record, recomputed every day by
    ``alerts.refresh_alerts`` from the records themselves, so it can never drift from them.

    An alert carries the encounter's random code and the kind of thing due, never anything that
    identifies the person. Clock alerts clear when the thing is done; harms (a victim punished, an
    interview in the reflection period) stay flagged, because a harm that happened stays a harm
    that happened (BRIEF §4 rule 4).
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
        help_text="The agency that must act: the lead agency of the person's operation.",
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
