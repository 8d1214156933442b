"""The uniform data standard: operations and the people they encounter.

Privacy shapes every model here (principle 1, docs/principles.md): an encountered person is an
``Encounter`` with a random code and coded attributes only. There is no field for a name, a date of
birth, an address, a phone number, a photograph or free text about a person, and
``tests/test_no_identifying_fields.py`` fails if one is ever added.

Vocabulary fields carry their codes as choices for forms *and* as a check constraint in the
database, so that nothing (not the API, not an import, not a raw SQL fix) can store a role or a
category outside the closed lists.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from beyondraid.core.codes import new_code

from .vocabulary import vocabulary


def coded(vocabulary_name: str, *, blank: bool = False, **options) -> models.CharField:
    """A field whose value is a code of the named vocabulary."""
    vocab = vocabulary(vocabulary_name)
    return models.CharField(
        max_length=max(40, vocab.max_code_length()),
        choices=vocab.choices,
        blank=blank,
        **options,
    )


def in_vocabulary(
    field: str, vocabulary_name: str, *, blank: bool = False
) -> models.CheckConstraint:
    codes = list(vocabulary(vocabulary_name).codes) + ([""] if blank else [])
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": codes}),
        name=f"%(app_label)s_%(class)s_{field}_in_vocabulary",
        violation_error_message=f"{field} must be a code of the {vocabulary_name} vocabulary.",
    )


def code_list_errors(value, vocabulary_name: str, what: str) -> list[str]:
    """What is wrong with a list of codes of one vocabulary, in plain words (none: it is right).
    A term marked ``exclusive`` ('not recorded') stands alone; no code is listed twice."""
    codes = vocabulary(vocabulary_name)
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        return [f"Give a list of {what} codes."]
    unknown = [code for code in value if code not in codes.codes]
    if unknown:
        return [f"Unknown {what} code(s) {', '.join(unknown)}; use: {', '.join(codes.codes)}."]
    if len(set(value)) != len(value):
        return [f"A {what} code is listed twice."]
    alone = [code for code in value if code in codes.codes_where("exclusive", True)]
    if alone and len(value) > 1:
        return [f"'{codes.label(alone[0])}' cannot be combined with another choice."]
    return []


class Recorded(models.Model):
    """Timestamps and provenance every record of the standard carries."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person who entered the record; empty for imports run from the command line.",
    )
    source = coded("provenance_source", default="form")
    source_reference = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the record came from: import file and row, API client or published table.",
    )

    class Meta:
        abstract = True
        constraints = [in_vocabulary("source", "provenance_source")]


class Agency(Recorded):
    """An organisation: a police or sheriff's department, a prosecutor, a task force, a
    victim-service provider, an oversight body or a funder."""

    name = models.CharField(max_length=200, unique=True, help_text="The agency's full name.")
    kind = coded("agency_kind", help_text="What sort of organisation it is.")
    state = models.CharField(
        max_length=2, blank=True, help_text="Two-letter state code; empty for federal agencies."
    )
    county = models.CharField(max_length=100, blank=True, help_text="County, if local.")
    city = models.CharField(max_length=100, blank=True, help_text="City, if local.")
    population_served = models.PositiveIntegerField(
        null=True, blank=True, help_text="Population of the area the agency serves, if known."
    )
    linkage_group = models.CharField(
        max_length=64,
        blank=True,
        help_text="Organisations with the same linkage group hold the same linkage key and can "
        "link the records of one person across each other's contacts; empty links only within "
        "this organisation (core.linkage).",
    )
    member_agencies = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="task_forces",
        help_text="For a task force: the agencies that belong to it.",
    )

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("kind", "agency_kind"),
            models.CheckConstraint(
                condition=Q(state="") | Q(state__regex=r"^[A-Z]{2}$"),
                name="standard_agency_state_is_two_capitals",
                violation_error_message="State must be a two-letter code such as CA, or empty.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Statute(models.Model):
    """An entry of the statute catalogue; shipped as data and extensible per state."""

    code = models.SlugField(max_length=60, unique=True)
    jurisdiction = models.CharField(max_length=60)
    citation = models.CharField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    category = coded("statute_category")
    level = coded("statute_level")
    source = models.CharField(
        max_length=200, help_text="Where the statute is cited in the sources."
    )

    class Meta:
        ordering = ["jurisdiction", "citation"]
        constraints = [
            in_vocabulary("category", "statute_category"),
            in_vocabulary("level", "statute_level"),
        ]

    def __str__(self) -> str:
        return self.citation


class Operation(Recorded):
    """An anti-trafficking law-enforcement operation: the unit of accountability."""

    code = models.CharField(max_length=20, unique=True, editable=False)
    name = models.CharField(
        max_length=200, help_text="The operation's name as the agency gives it."
    )
    initiative = coded("initiative", help_text="The initiative it ran under.")
    operation_type = coded("operation_type", help_text="Sting, reverse sting, raid, sweep...")
    start_date = models.DateField(help_text="First day of the operation.")
    end_date = models.DateField(help_text="Last day of the operation.")
    stated_objective = models.TextField(
        help_text="The objective as the plan states it. No names or details of people."
    )
    trigger = coded("operation_trigger", help_text="What made the operation happen.")
    data_origin = coded(
        "data_origin",
        default="recorded",
        help_text="Recorded by an agency, a published aggregate, or synthetic demo data.",
    )
    sector_focus = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the work_sector vocabulary: the sectors the operation targets; "
        "empty when not stated.",
    )
    agencies = models.ManyToManyField(
        Agency, through="OperationParticipant", related_name="operations"
    )

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("initiative", "initiative"),
            in_vocabulary("operation_type", "operation_type"),
            in_vocabulary("trigger", "operation_trigger"),
            in_vocabulary("data_origin", "data_origin"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="standard_operation_ends_after_it_starts",
                violation_error_message="An operation cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code("OP")
        super().save(*args, **kwargs)

    def clean(self):
        """The sector focus lists known sectors, 'not recorded' alone."""
        super().clean()
        errors = code_list_errors(self.sector_focus, "work_sector", "sector")
        if errors:
            raise ValidationError({"sector_focus": errors})

    @property
    def lead_agency(self) -> Agency | None:
        participant = next(
            (p for p in self.participants.all() if p.part == "lead"),
            None,
        )
        return participant.agency if participant else None


class OperationParticipant(Recorded):
    """The part an agency took in an operation; exactly one agency leads."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="participations")
    part = coded("participation_part", help_text="The part the agency took.")

    class Meta:
        ordering = ["operation", "part", "agency__name"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("part", "participation_part"),
            models.UniqueConstraint(
                fields=["operation", "agency", "part"],
                name="standard_participant_once_per_part",
                violation_error_message="This agency already has this part in the operation.",
            ),
            models.UniqueConstraint(
                fields=["operation"],
                condition=Q(part="lead"),
                name="standard_operation_has_one_lead",
                violation_error_message="An operation has exactly one lead agency.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_part_display()}"


class OperationPlace(Recorded):
    """Where an operation took place, to the city and the kind of venue; never an address."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="places")
    state = models.CharField(max_length=2, help_text="Two-letter state code.")
    county = models.CharField(max_length=100, blank=True, help_text="County.")
    city = models.CharField(max_length=100, blank=True, help_text="City.")
    venue_type = coded("venue_type", help_text="The kind of place.")

    class Meta:
        ordering = ["operation", "state", "county", "city"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("venue_type", "venue_type"),
            models.CheckConstraint(
                condition=Q(state__regex=r"^[A-Z]{2}$"),
                name="standard_place_state_is_two_capitals",
                violation_error_message="State must be a two-letter code such as CA.",
            ),
        ]

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.city, self.county, self.state) if part)
        return f"{self.get_venue_type_display()} — {where}"


# The pathway of every person met in an operation, and of nobody else.
THROUGH_OPERATION = "law_enforcement_operation"
# Origins the record of a person identified outside an operation can have: published aggregates
# hold no person-level records.
PERSON_ORIGINS = ("recorded", "synthetic")


def _without_referrer() -> list[str]:
    return list(vocabulary("identification_pathway").codes_where("referred_by_organisation", False))


class Encounter(Recorded):
    """One person met in an operation, or identified outside any operation by an organisation of
    any kind (a provider, a police department, a clinic...), pseudonymous by construction.

    Everything recorded about a person (services, referrals, clocks, follow-ups, alerts) hangs on
    the encounter, so a person identified outside an operation is owed the same as one met in
    it: only where they were found differs (issue 21; R-165: most identifications come from
    outside raids)."""

    code = models.CharField(max_length=20, unique=True, editable=False)
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="encounters",
        help_text="The operation the person was met in; empty for a person identified outside "
        "any operation.",
    )
    encountered_on = models.DateField(
        help_text="The day of the encounter, within the operation; for a person identified "
        "outside any operation, the day they were identified or came forward."
    )
    age_group = coded("age_group", default="unknown", help_text="Age band; never a birth date.")
    age_determination = coded(
        "age_determination", default="not_recorded", help_text="How the age was determined."
    )
    entered_as_minor = coded(
        "yes_no_unknown",
        default="unknown",
        help_text="Whether the person entered commercial sex as a minor (a de facto victim, R36).",
    )
    gender_identity = coded(
        "gender_identity", default="not_recorded", help_text="As the person states it."
    )
    race_ethnicity = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the race_ethnicity vocabulary; several allowed, 'not_recorded' alone.",
    )
    citizenship_status = coded(
        "citizenship_status", default="unknown", help_text="Citizenship or immigration status."
    )
    primary_language = coded("language", default="unknown", help_text="Primary language.")
    interpreter = coded(
        "interpreter", default="unknown", help_text="Whether an interpreter was provided."
    )
    identification_pathway = coded(
        "identification_pathway",
        default=THROUGH_OPERATION,
        help_text="How the person was identified or came forward; 'law-enforcement operation' "
        "for everyone met in an operation and for nobody else.",
    )
    identified_by = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="identifications",
        help_text="For a person identified outside any operation, the organisation of any kind "
        "that identified them or that they came to; empty for a person met in an operation, "
        "whom its agencies identified.",
    )
    referring_organisation = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people_referred",
        help_text="The organisation that referred the person to the one that identified them, "
        "where there is one in the register; the pathway says what kind it is.",
    )
    work_sector = coded(
        "work_sector",
        default="not_recorded",
        help_text="The sector of the work the person was in, or was exploited in.",
    )
    trafficking_form = coded(
        "trafficking_form",
        default="not_recorded",
        help_text="The form of trafficking alleged: an allegation, never a finding.",
    )
    person_link = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text="A keyed hash (HMAC) of an identifier the organisation holds outside this "
        "system, such as a booking or case number, linking this person's records across "
        "contacts; never the identifier itself (core.linkage). Empty when not linked.",
    )
    data_origin = coded(
        "data_origin",
        default="recorded",
        help_text="Recorded, or synthetic demo data; for a person met in an operation, set by "
        "the system to the operation's origin.",
    )

    class Meta:
        ordering = ["operation", "code"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("age_group", "age_group"),
            in_vocabulary("age_determination", "age_determination"),
            in_vocabulary("entered_as_minor", "yes_no_unknown"),
            in_vocabulary("gender_identity", "gender_identity"),
            in_vocabulary("citizenship_status", "citizenship_status"),
            in_vocabulary("primary_language", "language"),
            in_vocabulary("interpreter", "interpreter"),
            in_vocabulary("identification_pathway", "identification_pathway"),
            in_vocabulary("work_sector", "work_sector"),
            in_vocabulary("trafficking_form", "trafficking_form"),
            in_vocabulary("data_origin", "data_origin"),
            models.CheckConstraint(
                condition=Q(
                    operation__isnull=False,
                    identification_pathway=THROUGH_OPERATION,
                    identified_by__isnull=True,
                )
                | (
                    Q(operation__isnull=True, identified_by__isnull=False)
                    & ~Q(identification_pathway=THROUGH_OPERATION)
                ),
                name="standard_encounter_identified_in_an_operation_or_by_an_organisation",
                violation_error_message="A person met in an operation has the pathway "
                "'law-enforcement operation' and no identifying organisation; a person "
                "identified outside any operation names the organisation that identified them "
                "and another pathway.",
            ),
            models.CheckConstraint(
                condition=Q(person_link="") | Q(person_link__regex=r"^[0-9a-f]{64}$"),
                name="standard_encounter_person_link_is_a_hash",
                violation_error_message="A person link is a keyed hash of 64 hexadecimal "
                "digits, never an identifier; record the booking or case number through the "
                "linking form, which hashes it.",
            ),
            models.CheckConstraint(
                condition=Q(referring_organisation__isnull=True)
                | (
                    ~Q(identification_pathway__in=_without_referrer())
                    & ~Q(referring_organisation=F("identified_by"))
                ),
                name="standard_encounter_referred_by_another_organisation",
                violation_error_message="A referring organisation is another organisation than "
                "the one that identified the person, and none is recorded for a self-referral, "
                "a referral by another survivor or an operation.",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code("E")
        super().save(*args, **kwargs)

    @property
    def is_minor(self) -> bool:
        return self.age_group in vocabulary("age_group").codes_where("is_minor", True)

    @property
    def is_foreign_national(self) -> bool | None:
        """True or False when the status tells; None when it is unknown."""
        flag = vocabulary("citizenship_status").term(self.citizenship_status).attributes
        return flag.get("foreign_national")

    @property
    def current_role_assessment(self) -> "RoleAssessment | None":
        return self.role_assessments.order_by("-assessed_on", "-created_at", "-pk").first()

    @property
    def current_role(self) -> str:
        assessment = self.current_role_assessment
        return assessment.role if assessment else "unknown"

    def clean(self):
        """Race and ethnicity are known codes, 'not recorded' alone; the encounter date falls
        within the operation, and a person identified outside one is recorded once identified;
        a person met in an operation has its pathway, takes its origin and has no identifying
        organisation, one identified outside it names the organisation that identified them;
        a referring organisation is another one, and none refers a self-referral or another
        survivor's referral; a minor's current role is never 'adult in commercial sex'."""
        super().clean()
        errors: dict[str, list[str]] = {}
        race = code_list_errors(self.race_ethnicity, "race_ethnicity", "race and ethnicity")
        if race:
            errors["race_ethnicity"] = race
        if self.operation_id:
            # Set here rather than checked: what an operation's records are is decided once, on
            # the operation, and every page, form and file of its people follows it.
            self.data_origin = self.operation.data_origin
            self._check_in_operation(errors)
        else:
            self._check_outside_operations(errors)
        self._check_referrer(errors)
        if self.pk and self.is_minor and self.current_role == "adult_in_commercial_sex":
            errors["age_group"] = [
                "This person's current role is 'adult in commercial sex'; a minor can never have "
                "that role. Record a new role assessment first (a minor in commercial sex is a "
                "trafficking victim in law)."
            ]
        if errors:
            raise ValidationError(errors)

    def _check_in_operation(self, errors: dict[str, list[str]]) -> None:
        operation = self.operation
        if self.encountered_on and not (
            operation.start_date <= self.encountered_on <= operation.end_date
        ):
            errors["encountered_on"] = [
                f"The encounter date must fall within the operation "
                f"({operation.start_date} to {operation.end_date})."
            ]
        if self.identification_pathway != THROUGH_OPERATION:
            label = vocabulary("identification_pathway").label(THROUGH_OPERATION).lower()
            errors["identification_pathway"] = [
                f"A person met in an operation was identified through it: the pathway is "
                f"'{label}'. Leave the operation empty for a person identified another way."
            ]
        if self.identified_by_id:
            errors["identified_by"] = [
                "A person met in an operation was identified by the operation's agencies; leave "
                "the identifying organisation empty."
            ]

    def _check_outside_operations(self, errors: dict[str, list[str]]) -> None:
        if not self.identified_by_id:
            errors["identified_by"] = [
                "Name the organisation that identified the person, or that they came to: a "
                "person identified outside an operation is recorded by that organisation."
            ]
        if self.identification_pathway == THROUGH_OPERATION:
            errors["identification_pathway"] = [
                "Only a person met in a recorded operation has the pathway 'law-enforcement "
                "operation': choose the operation, or say how else the person was identified."
            ]
        if self.encountered_on and self.encountered_on > timezone.localdate():
            errors["encountered_on"] = [
                "This date is in the future; record a person once they have been identified."
            ]
        if self.data_origin not in PERSON_ORIGINS:
            errors["data_origin"] = [
                "A person identified outside an operation is recorded, or synthetic demo data."
            ]

    def _check_referrer(self, errors: dict[str, list[str]]) -> None:
        if not self.referring_organisation_id:
            return
        if self.identification_pathway in _without_referrer():
            label = vocabulary("identification_pathway").label(self.identification_pathway)
            errors["referring_organisation"] = [
                f"The pathway '{label.lower()}' has no referring organisation: leave it empty, "
                "or choose the pathway of the organisation that referred the person."
            ]
        elif self.referring_organisation_id == self.identified_by_id:
            errors["referring_organisation"] = [
                "The referring organisation is the one that sent the person to the organisation "
                "that identified them: choose another, or leave it empty."
            ]


class EncounterRecord(Recorded):
    """A dated record about one encounter; its date can never precede the encounter."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE)
    date_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self):
        """Its dates can never precede the encounter."""
        super().clean()
        if not self.encounter_id:
            return
        start = self.encounter.encountered_on
        errors = {
            name: [f"This date cannot be before the encounter ({start})."]
            for name in self.date_fields
            if getattr(self, name) is not None and getattr(self, name) < start
        }
        if errors:
            raise ValidationError(errors)


class RoleAssessment(EncounterRecord):
    """A dated judgement of the person's role; the latest one is the current role."""

    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="role_assessments"
    )
    role = coded("role", help_text="One role from the closed list.")
    basis = coded("role_basis", help_text="Why the person was given this role.")
    stage = coded("role_stage", default="at_encounter", help_text="At the encounter or later.")
    assessed_on = models.DateField(help_text="The day of the assessment.")
    date_fields = ("assessed_on",)

    class Meta:
        ordering = ["encounter", "assessed_on", "created_at"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("role", "role"),
            in_vocabulary("basis", "role_basis"),
            in_vocabulary("stage", "role_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.assessed_on}"

    def clean(self):
        """A minor can never be an adult in commercial sex (a minor in commercial sex is a
        trafficking victim in law); 'minor, by age' needs an age group under 18."""
        super().clean()
        if not self.encounter_id:
            return
        adults_only = vocabulary("role").codes_where("adults_only", True)
        if self.role in adults_only and self.encounter.is_minor:
            raise ValidationError(
                {
                    "role": "A minor can never be recorded as an adult in commercial sex: a minor "
                    "in commercial sex is a trafficking victim in law (22 U.S.C. § 7102). Choose "
                    "'suspected victim' or 'confirmed victim'."
                }
            )
        if self.basis == "minor_by_age" and not self.encounter.is_minor:
            raise ValidationError(
                {"basis": "'Minor, by age' needs an age group under 18 on the encounter."}
            )


class TreatmentEvent(EncounterRecord):
    """What was done to or for the person, dated, recorded as it happened."""

    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="treatment_events"
    )
    kind = coded("treatment_kind", help_text="What happened.")
    occurred_on = models.DateField(help_text="The day it happened.")
    screener = coded("screener", blank=True, help_text="For a screening: who screened.")
    screening_tool = coded("screening_tool", blank=True, help_text="For a screening: the tool.")
    screening_result = coded(
        "screening_result", blank=True, help_text="For a screening: the result."
    )
    interview_location = coded("interview_location", blank=True, help_text="For an interview.")
    advocate_present = coded(
        "advocate_presence", blank=True, help_text="For an interview; the person may decline one."
    )
    basic_needs_before = coded(
        "yes_no_unknown", blank=True, help_text="For an interview: food, water, clothing first?"
    )
    attorney_present = coded("yes_no_unknown", blank=True, help_text="For an interview.")
    arrest_basis = coded("arrest_basis", blank=True, help_text="For an arrest.")
    date_fields = ("occurred_on",)

    SCREENING_FIELDS = ("screener", "screening_tool", "screening_result")
    INTERVIEW_FIELDS = (
        "interview_location",
        "advocate_present",
        "basic_needs_before",
        "attorney_present",
    )
    ARREST_FIELDS = ("arrest_basis",)

    class Meta:
        ordering = ["encounter", "occurred_on", "created_at"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("kind", "treatment_kind"),
            in_vocabulary("screener", "screener", blank=True),
            in_vocabulary("screening_tool", "screening_tool", blank=True),
            in_vocabulary("screening_result", "screening_result", blank=True),
            in_vocabulary("interview_location", "interview_location", blank=True),
            in_vocabulary("advocate_present", "advocate_presence", blank=True),
            in_vocabulary("basic_needs_before", "yes_no_unknown", blank=True),
            in_vocabulary("attorney_present", "yes_no_unknown", blank=True),
            in_vocabulary("arrest_basis", "arrest_basis", blank=True),
            models.CheckConstraint(
                condition=Q(
                    kind="screened", screener__gt="", screening_tool__gt="", screening_result__gt=""
                )
                | (~Q(kind="screened") & Q(screener="", screening_tool="", screening_result="")),
                name="standard_treatment_screening_details_only_on_screenings",
                violation_error_message=(
                    "A screening needs who screened, the tool and the result; "
                    "other events have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="interviewed",
                    interview_location__gt="",
                    advocate_present__gt="",
                    basic_needs_before__gt="",
                    attorney_present__gt="",
                )
                | (
                    ~Q(kind="interviewed")
                    & Q(
                        interview_location="",
                        advocate_present="",
                        basic_needs_before="",
                        attorney_present="",
                    )
                ),
                name="standard_treatment_interview_details_only_on_interviews",
                violation_error_message=(
                    "An interview needs where it happened and whether an advocate, basic needs and "
                    "an attorney came first; other events have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="arrested", arrest_basis__gt="")
                | (~Q(kind="arrested") & Q(arrest_basis="")),
                name="standard_treatment_arrest_basis_only_on_arrests",
                violation_error_message="An arrest needs its basis; other events have none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"

    def clean(self):
        """Screening, interview and arrest details are given with their own kind of event, and
        only with it."""
        super().clean()
        detail_fields = {
            "screened": self.SCREENING_FIELDS,
            "interviewed": self.INTERVIEW_FIELDS,
            "arrested": self.ARREST_FIELDS,
        }
        errors = {}
        for kind, fields in detail_fields.items():
            for name in fields:
                value = getattr(self, name)
                if self.kind == kind and not value:
                    errors[name] = [f"Required for the event '{self.get_kind_display()}'."]
                elif self.kind != kind and value:
                    label = vocabulary("treatment_kind").label(kind)
                    errors[name] = [f"Only recorded for the event '{label}'."]
        if errors:
            raise ValidationError(errors)

    @property
    def is_punitive(self) -> bool:
        return self.kind in vocabulary("treatment_kind").codes_where("punitive", True)


class Charge(EncounterRecord):
    """A charge under a statute of the catalogue, with its disposition."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="charges")
    statute = models.ForeignKey(Statute, on_delete=models.PROTECT, related_name="charges")
    charged_on = models.DateField()
    disposition = coded("charge_disposition", default="pending")
    disposition_on = models.DateField(null=True, blank=True)
    date_fields = ("charged_on",)

    class Meta:
        ordering = ["encounter", "charged_on", "created_at"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("disposition", "charge_disposition"),
            models.CheckConstraint(
                condition=Q(disposition="pending", disposition_on__isnull=True)
                | (~Q(disposition="pending") & Q(disposition_on__isnull=False)),
                name="standard_charge_disposition_dated_unless_pending",
                violation_error_message="A decided charge needs its date; a pending one has none.",
            ),
            models.CheckConstraint(
                condition=Q(disposition_on__isnull=True) | Q(disposition_on__gte=F("charged_on")),
                name="standard_charge_disposed_after_charged",
                violation_error_message="A charge cannot be decided before it was filed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statute} on {self.charged_on}"

    def effective_category(self, role: str | None = None) -> str:
        """The statute's category, read through the person's role where the statute covers both
        selling and buying sex (Cal. Penal Code § 647(b))."""
        if self.statute.category != "selling_or_buying_sex":
            return self.statute.category
        role = role if role is not None else self.encounter.current_role
        return "buying_sex" if role == "buyer" else "selling_sex"


class ServiceOffer(EncounterRecord):
    """An offer of a service. Deliberately has no link to cooperation (principle 3,
    docs/principles.md)."""

    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="service_offers"
    )
    service_type = coded("service_type", help_text="The service offered.")
    offered_on = models.DateField(help_text="The day of the offer.")
    offered_by = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="service_offers_made",
        help_text="The agency that made the offer.",
    )
    response = coded(
        "offer_response", default="no_answer_yet", help_text="The person's answer, if any."
    )
    provider = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_offers_received",
        help_text="The victim-service provider the person was referred to, if any.",
    )
    date_fields = ("offered_on",)

    class Meta:
        ordering = ["encounter", "offered_on", "created_at"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("service_type", "service_type"),
            in_vocabulary("response", "offer_response"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} offered on {self.offered_on}"

    def clean(self):
        """A referral goes to a victim-service provider."""
        super().clean()
        if self.provider_id and self.provider.kind != "victim_service_provider":
            raise ValidationError(
                {"provider": "Referrals go to a victim-service provider; this agency is not one."}
            )


class CooperationRecord(EncounterRecord):
    """Cooperation with law enforcement, dated, and kept apart from services."""

    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="cooperation_records"
    )
    status = coded("cooperation_status", help_text="Cooperation with law enforcement.")
    recorded_on = models.DateField(help_text="The day it was recorded.")
    date_fields = ("recorded_on",)

    class Meta:
        ordering = ["encounter", "recorded_on", "created_at"]
        constraints = [*Recorded.Meta.constraints, in_vocabulary("status", "cooperation_status")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.recorded_on}"


class FollowUp(EncounterRecord):
    """A follow-up with the person: when it was due and done, and the outcomes the uniform
    indicators need (still receiving services, re-trafficked, deported, prosecuted)."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(help_text="When the follow-up is due.")
    done_on = models.DateField(null=True, blank=True, help_text="When it was done, if it was.")
    reached = coded("yes_no_unknown", blank=True, help_text="Whether the person was reached.")
    still_receiving_services = coded(
        "yes_no_unknown", default="unknown", help_text="Still receiving services at follow-up."
    )
    re_trafficking = coded("re_trafficking", default="unknown", help_text="Re-trafficked since.")
    deported = coded("yes_no_unknown", default="unknown", help_text="Deported since.")
    prosecuted = coded("yes_no_unknown", default="unknown", help_text="Prosecuted since.")
    prosecuted_for = models.ManyToManyField(Statute, blank=True, related_name="+")
    date_fields = ("due_on", "done_on")

    class Meta:
        verbose_name = "follow-up"
        ordering = ["encounter", "due_on"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("reached", "yes_no_unknown", blank=True),
            in_vocabulary("still_receiving_services", "yes_no_unknown"),
            in_vocabulary("re_trafficking", "re_trafficking"),
            in_vocabulary("deported", "yes_no_unknown"),
            in_vocabulary("prosecuted", "yes_no_unknown"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, reached="")
                | Q(done_on__isnull=False, reached__gt=""),
                name="standard_follow_up_done_says_whether_reached",
                violation_error_message=(
                    "A follow-up that was done says whether the person was reached; one not yet "
                    "done says nothing about it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up due {self.due_on}"

    def clean(self):
        """A follow-up is recorded as done once it has happened, never ahead of time."""
        super().clean()
        if self.done_on is not None and self.done_on > timezone.localdate():
            raise ValidationError(
                {"done_on": "This date is in the future; record a follow-up once it is done."}
            )


# Purposes whose money is broken down by its allocations to operations (funding_purpose).
OPERATIONS_PURPOSES = vocabulary("funding_purpose").codes_where("operations", True)
RECIPIENT_NEEDED = (
    "Name the recipient, the organisation that received the money: only money for "
    "law-enforcement operations may leave the recipient empty, its allocations saying which "
    "operations it went to."
)
RECIPIENT_IS_FUNDER = (
    "The recipient must be another organisation than the funder. Money an organisation spends "
    "from its own budget on its own operations has no recipient; for any other purpose, name as "
    "the funder the body that gave it the money."
)


class FundingSource(Recorded):
    """Money given for the response to trafficking: who gave it, to whom, under which programme,
    for what, with which conditions, for which period (Rec 3.2 funding indicator; R-185 to
    R-190). Money for operations is broken down by its allocations to each operation; money for
    services, outreach, hotlines, community organisations and labour-law enforcement is counted
    beside it, per jurisdiction and year."""

    funder = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="funding_given")
    recipient = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_received",
        help_text="The organisation that received the money; empty for money for operations "
        "that the allocations assign to each operation.",
    )
    purpose = coded(
        "funding_purpose",
        default="law_enforcement_operations",
        help_text="What the money is for.",
    )
    conditions = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the funding_condition vocabulary: the conditions the funder "
        "attached; 'none' alone when there are none, empty when not known.",
    )
    programme = models.CharField(max_length=200, help_text="Grant or budget line, e.g. ECM.")
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="Amount in dollars.")
    period_start = models.DateField(help_text="First day of the funding period.")
    period_end = models.DateField(help_text="Last day of the funding period.")

    class Meta:
        ordering = ["-period_start", "programme"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("purpose", "funding_purpose"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="standard_funding_amount_not_negative",
                violation_error_message="An amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="standard_funding_period_ordered",
                violation_error_message="A funding period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=OPERATIONS_PURPOSES) | Q(recipient__isnull=False),
                name="standard_funding_beyond_operations_names_recipient",
                violation_error_message=RECIPIENT_NEEDED,
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=True) | ~Q(recipient=F("funder")),
                name="standard_funding_recipient_is_not_funder",
                violation_error_message=RECIPIENT_IS_FUNDER,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} ({self.funder})"

    @property
    def for_operations(self) -> bool:
        return self.purpose in OPERATIONS_PURPOSES

    def clean(self):
        """The conditions are known codes, 'no conditions' alone; money for anything but
        operations names the organisation that received it, which is not the funder; money that
        is already allocated to operations stays money for operations."""
        super().clean()
        errors: dict[str, list[str]] = {}
        conditions = code_list_errors(self.conditions, "funding_condition", "condition")
        if conditions:
            errors["conditions"] = conditions
        if not self.for_operations and self.recipient_id is None:
            errors.setdefault("recipient", []).append(RECIPIENT_NEEDED)
        if self.recipient_id is not None and self.recipient_id == self.funder_id:
            errors.setdefault("recipient", []).append(RECIPIENT_IS_FUNDER)
        if not self.for_operations and self.pk and self.allocations.exists():
            errors["purpose"] = [
                "The purpose stays law-enforcement operations: this funding is allocated to "
                "operations. Record money for another purpose as a funding record of its own."
            ]
        if errors:
            raise ValidationError(errors)


class FundingAllocation(Recorded):
    """How much of a funding source went to an operation, by spending category, and how much was
    actually spent."""

    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="allocations"
    )
    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="funding_allocations"
    )
    category = coded("funding_category", help_text="What the money was for.")
    amount_allocated = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Amount allocated, in dollars."
    )
    amount_spent = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Empty until reported."
    )

    class Meta:
        ordering = ["operation", "category"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("category", "funding_category"),
            models.CheckConstraint(
                condition=Q(amount_allocated__gte=0)
                & (Q(amount_spent__isnull=True) | Q(amount_spent__gte=0)),
                name="standard_allocation_amounts_not_negative",
                violation_error_message="Amounts cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount_allocated}"

    def clean(self):
        """Only money for law-enforcement operations is allocated to operations, and the
        allocations of a funding source never add up to more than it provides."""
        super().clean()
        if not self.funding_source_id:
            return
        if not self.funding_source.for_operations:
            raise ValidationError(
                {
                    "funding_source": (
                        f"The funding source “{self.funding_source.programme}” is money for "
                        f"{self.funding_source.get_purpose_display().lower()}, not for "
                        "law-enforcement operations, so it is not allocated to operations."
                    )
                }
            )
        if self.amount_allocated is None:
            return
        others = (
            self.funding_source.allocations.exclude(pk=self.pk).aggregate(
                total=models.Sum("amount_allocated")
            )["total"]
            or 0
        )
        if others + self.amount_allocated > self.funding_source.amount:
            raise ValidationError(
                {
                    "amount_allocated": (
                        f"Allocations would total {others + self.amount_allocated}, more than the "
                        f"{self.funding_source.amount} the funding source provides."
                    )
                }
            )


class NonPunishmentAlert(models.Model):
    """A victim (or a minor) who was arrested, cited, charged or referred to immigration; a person
    who entered commercial sex as a minor charged as an adult; a minor asked to cooperate with law
    enforcement. Each alert points at the one event, charge or cooperation record that raised it.

    Raised by the services whenever the facts meet; never removed when the facts change, because a
    harm that happened stays a harm that happened (principle 4, docs/principles.md).
    """

    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="non_punishment_alerts"
    )
    trigger = coded("non_punishment_trigger")
    treatment_event = models.OneToOneField(
        TreatmentEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="alert"
    )
    charge = models.OneToOneField(
        Charge, null=True, blank=True, on_delete=models.CASCADE, related_name="alert"
    )
    cooperation_record = models.OneToOneField(
        CooperationRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="alert"
    )
    role_when_raised = coded("role")
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "non-punishment alert"
        ordering = ["-raised_at"]
        constraints = [
            in_vocabulary("trigger", "non_punishment_trigger"),
            in_vocabulary("role_when_raised", "role"),
            models.CheckConstraint(
                condition=Q(
                    treatment_event__isnull=False,
                    charge__isnull=True,
                    cooperation_record__isnull=True,
                )
                | Q(
                    treatment_event__isnull=True,
                    charge__isnull=False,
                    cooperation_record__isnull=True,
                )
                | Q(
                    treatment_event__isnull=True,
                    charge__isnull=True,
                    cooperation_record__isnull=False,
                ),
                name="standard_alert_points_at_one_event",
                violation_error_message=(
                    "An alert points at exactly one event, one charge or one cooperation record."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} — {self.encounter}"


CONFLATED_MEASURE = "conflated_category"
_PRINTED_COUNT = re.compile(r"[0-9]{1,3}(?:[, ][0-9]{3})+|[0-9]+")


def printed_count(printed: str) -> int | None:
    """The count a printed cell shows, read as an analyst reads it: thousands separators
    ("1,204", "1 204") allowed; a blank, "N/A" or "?" is no count at all, never 0."""
    text = printed.strip()
    if not _PRINTED_COUNT.fullmatch(text):
        return None
    return int(text.replace(",", "").replace(" ", ""))


class AggregateFigure(Recorded):
    """A count an agency or a report published for an operation, kept with its printed form.

    The printed label and value stay verbatim (a blank cell is not 0; 'N/A' and '?' are kept) so
    that the mapping to the standard's measures can always be checked against the source.
    """

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="aggregate_figures"
    )
    measure = coded(
        "aggregate_measure", help_text="What the figure counts, in the standard's terms."
    )
    printed_label = models.CharField(max_length=200, help_text="The row label as printed.")
    printed_value = models.CharField(
        max_length=40, blank=True, help_text="The cell as printed; blank is not zero."
    )
    value = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty when the printed cell is blank, 'N/A' or '?'."
    )
    citation = models.CharField(max_length=300, help_text="The table and lines it comes from.")

    class Meta:
        ordering = ["operation", "measure"]
        constraints = [
            *Recorded.Meta.constraints,
            in_vocabulary("measure", "aggregate_measure"),
            models.UniqueConstraint(
                fields=["operation", "measure"],
                condition=~models.Q(measure=CONFLATED_MEASURE),
                name="standard_aggregate_one_figure_per_measure",
                violation_error_message="This operation already has a figure for this measure.",
            ),
            # Conflated categories are told apart by their printed label, never by a role.
            models.UniqueConstraint(
                fields=["operation", "printed_label"],
                condition=models.Q(measure=CONFLATED_MEASURE),
                name="standard_aggregate_one_conflated_figure_per_label",
                violation_error_message="This operation already has a figure with this label.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.printed_label}: {self.printed_value or '(blank)'}"

    def clean(self):
        """The value is the printed number, or empty when the printed cell is not a number."""
        super().clean()
        printed = self.printed_value.strip()
        count = printed_count(printed)
        if count is not None and self.value != count:
            raise ValidationError(
                {"value": f"The printed value is {printed}; the value must match."}
            )
        if count is None and self.value is not None:
            raise ValidationError(
                {
                    "value": f"The printed value {printed or '(blank)'} is not a number; "
                    "leave the value empty."
                }
            )
