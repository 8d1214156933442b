"""Forms of the plan pages.

A plan is written section by section, one form per section. Each form reads its part of the plan
document (``document.py``) and writes it back, so that the pages, ``beyondraid plan check`` and
the API share one shape and one rule set. Every field is optional here: a draft may be
incomplete, and what a plan must hold before it is submitted is decided by ``document.parse`` in
``services.submit``. ``describe`` turns the field paths of its problems (``evidence[1].dated``)
into the section and the words a person sees ("Evidence item 2: Date: is required.").

Lists (evidence items, officers, budget lines...) are formsets that always show two empty rows,
so that items can be added without JavaScript; a row left empty is no item.
"""

import copy
import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from beyondraid.accounts.forms_people import add_service_errors
from beyondraid.standard.forms_uswds import USWDSForm, style_widget
from beyondraid.standard.models import Agency, Statute
from beyondraid.standard.vocabulary import vocabulary

from . import document as plan_document
from .models import PlanReview

DATE_ERROR = "Enter a date as year-month-day, for example 2026-03-31."
EXTRA_ROWS = 2
# The reviewing partners are the plan's own (``Plan``), not fields of its document.
PARTNER_FIELDS = ("prosecutor_office", "service_partner")


# --- Fields, each optional, each saying what it asks for. --------------------------------------


def _text(label: str, help_text: str = "", *, long: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}) if long else None,
    )


def _code(label: str, vocabulary_name: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        choices=[("", "Choose one"), *vocabulary(vocabulary_name).choices],
    )


def _codes(label: str, vocabulary_name: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        choices=vocabulary(vocabulary_name).choices,
        widget=forms.CheckboxSelectMultiple,
    )


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR},
    )


def _flag(label: str, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        help_text=help_text,
        error_messages={"invalid": "Enter a whole number, such as 3."},
    )


def _amount(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        error_messages={"invalid": "Enter a number, such as 1200 or 12.5."},
    )


# --- Reading and writing the document. ---------------------------------------------------------


def _get(data: dict, path: str):
    for key in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _put(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def _number(value: Decimal | None) -> int | float:
    if value is None:
        return 0
    return int(value) if value == value.to_integral_value() else float(value)


def _stored(field: forms.Field, value):
    """A cleaned form value in the document's terms."""
    if isinstance(field, forms.MultipleChoiceField):
        return list(value)
    if isinstance(field, forms.BooleanField):
        return bool(value)
    if isinstance(field, forms.DateField):
        return value.isoformat() if value else ""
    if isinstance(field, forms.DecimalField):
        return _number(value)
    if isinstance(field, forms.IntegerField):
        return value or 0
    return value or ""


class PlanForm(USWDSForm):
    """A form whose fields each stand for one field of the plan document.

    ``PATHS`` maps a field's name to its path in the document (or in one list item);
    ``FIELDSETS`` groups the fields under headings on the page; ``OMIT_EMPTY`` names fields whose
    key is left out of the document when nothing is typed (the expected numbers of people).
    """

    PATHS: dict[str, str] = {}
    FIELDSETS: tuple[tuple[str, tuple[str, ...]], ...] = ()
    OMIT_EMPTY: frozenset[str] = frozenset()
    # Parts of the document that the page shows but the form does not write: (label, path).
    SHOWN: tuple[tuple[str, str], ...] = ()

    @classmethod
    def initial_from(cls, source: dict) -> dict:
        return {name: _get(source, path) for name, path in cls.PATHS.items()}

    def write(self, target: dict) -> None:
        for name, path in self.PATHS.items():
            value = self.cleaned_data.get(name)
            if value is None and name in self.OMIT_EMPTY:
                continue
            _put(target, path, _stored(self.fields[name], value))

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.PATHS)

    @classmethod
    def field_for(cls, path: str) -> str | None:
        for name, own in cls.PATHS.items():
            if own == path:
                return name
        return None


# --- The sections of a plan. ------------------------------------------------------------------


class BudgetLineForm(PlanForm):
    category = _code("Category", "funding_category")
    amount = _amount("Amount (dollars)")
    PATHS = {"category": "category", "amount": "amount"}


class OverviewForm(PlanForm):
    name = _text("Name of the operation")
    operation_type = _code("Type of operation", "operation_type")
    venue_type = _code("Type of venue", "venue_type")
    sector_focus = _codes(
        "Sectors of work targeted",
        "work_sector",
        "The sectors in which the operation expects to find people. Trafficking happens in "
        "domestic work, farms, restaurants and factories as well as in commercial sex.",
    )
    planned_start = _date("Planned start", "Year-month-day, for example 2026-12-10.")
    planned_end = _date("Planned end", "Year-month-day; the same day as the start for one day.")
    time_of_entry = forms.CharField(
        label="Time of entry",
        required=False,
        help_text="HH:MM on a 24-hour clock. Entries into homes before 07:00 are flagged.",
        widget=forms.TextInput(attrs={"type": "time"}),
    )
    objectives = _text(
        "Objectives",
        "What the operation should achieve for the people it may find. Objectives counted in "
        "arrests are flagged.",
        long=True,
    )
    prosecutor_office = forms.ModelChoiceField(
        label="Prosecutor's office",
        queryset=Agency.objects.filter(kind="prosecutor"),
        required=False,
        empty_label="Choose an office",
        help_text="It helps plan the operation and reviews the plan.",
    )
    service_partner = forms.ModelChoiceField(
        label="Victim-service partner",
        queryset=Agency.objects.filter(kind="victim_service_provider"),
        required=False,
        empty_label="Choose an organisation",
        help_text="It is consulted and reviews the plan.",
    )
    PATHS = {
        "name": "name",
        "operation_type": "operation_type",
        "venue_type": "venue_type",
        "sector_focus": "sector_focus",
        "planned_start": "planned_start",
        "planned_end": "planned_end",
        "time_of_entry": "time_of_entry",
        "objectives": "objectives",
    }
    FIELDSETS = (
        ("The operation", tuple(PATHS)),
        ("Who reviews the plan", PARTNER_FIELDS),
    )
    SHOWN = (
        ("Lead agency", "lead_agency"),
        ("Prosecutor's office", "prosecutor.office"),
        ("Victim-service partner", "service_partner"),
    )

    @classmethod
    def field_for(cls, path: str) -> str | None:
        return {"prosecutor.office": "prosecutor_office", "service_partner": "service_partner"}.get(
            path
        ) or super().field_for(path)


class JustificationForm(PlanForm):
    situation = _code(
        "Situation",
        "plan_situation",
        "Which situation makes an operation necessary. Another reason needs an agency "
        "administrator's approval.",
    )
    explanation = _text(
        "Explanation",
        "What shows that this situation applies, without naming anyone.",
        long=True,
    )
    other_reason = _text(
        "Other reason", "Only when the situation is another reason: what it is.", long=True
    )
    PATHS = {
        "situation": "justification.situation",
        "explanation": "justification.explanation",
        "other_reason": "justification.other_reason",
    }


class AlternativeForm(PlanForm):
    alternative = _code("Alternative", "plan_alternative")
    why_not_enough = _text("Why it was not enough", long=True)
    PATHS = {"alternative": "alternative", "why_not_enough": "why_not_enough"}


class NoFieldsForm(PlanForm):
    """A section made only of a list."""


class EvidenceForm(PlanForm):
    type = _code("Type", "evidence_type", "Condoms are never evidence.")
    dated = _date("Date", "When the item was gathered or the event happened.")
    reliability = _code("Reliability", "evidence_reliability")
    supports = _codes(
        "Elements it supports",
        "evidence_element",
        "Only what the type can show counts: prior prostitution arrests, advertisements and "
        "complaints about sex work never show force, fraud or coercion.",
    )
    summary = _text(
        "Summary",
        "What the item shows. No names, addresses or other details that identify anyone: the "
        "case file stays with the investigator.",
        long=True,
    )
    PATHS = {
        "type": "type",
        "dated": "dated",
        "reliability": "reliability",
        "supports": "supports",
        "summary": "summary",
    }


class LegalBasisForm(PlanForm):
    statutes = forms.MultipleChoiceField(
        label="Statutes the operation targets",
        required=False,
        help_text="An operation with no trafficking statute is a sweep.",
        widget=forms.CheckboxSelectMultiple,
    )
    PATHS = {"statutes": "statutes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statutes"].choices = [
            (code, f"{citation}: {title}")
            for code, citation, title in Statute.objects.values_list("code", "citation", "title")
        ]


class ShelterPlacesForm(PlanForm):
    gender_identity = _code("Gender identity", "gender_identity")
    age_group = _code("Age group", "age_group")
    places = _count("Places")
    PATHS = {"gender_identity": "gender_identity", "age_group": "age_group", "places": "places"}


class NotificationForm(PlanForm):
    provider = _text("Provider")
    notified_on = _date("Notified on")
    expected_population = _text("Population they were told to expect", long=True)
    answer = _text("Their answer", long=True)
    PATHS = {
        "provider": "provider",
        "notified_on": "notified_on",
        "expected_population": "expected_population",
        "answer": "answer",
    }


_ROLES = vocabulary("role")
# One number per role: built from the vocabulary so that a new role needs no change here.
_ExpectedPeople = type(
    "_ExpectedPeople",
    (forms.Form,),
    {f"expected_{term.code}": _count(term.label) for term in _ROLES.terms},
)


class SmartRaidForm(PlanForm, _ExpectedPeople):
    safety_plan = _text("Safety plan", long=True)
    segregation_plan = _text(
        "Segregation",
        "How suspected traffickers and managers are kept apart from possible victims.",
        long=True,
    )
    interviewers = _text("Who interviews")
    interviewer_training = _text("Their training", long=True)
    setting = _code("Where", "interview_location", "A non-detention setting.")
    timing = _code("When", "interview_timing", "Not during or right after the operation.")
    advocate_present = _flag("An advocate is present at interviews")
    basic_needs_first = _flag("Basic needs come first")
    legal_access_before_questioning = _flag("Access to an attorney or consulate before questioning")
    cross_referencing_plan = _text(
        "Cross-referencing of accounts",
        "How accounts are compared with one another and with the evidence.",
        long=True,
    )
    aftercare_provider = _text("Provider of care and shelter after the operation")
    expected_languages = _codes("Languages expected", "language")
    interpreter_languages = _codes("Interpreters arranged for", "language")
    minors = _text("Minors", long=True)
    pregnant_people = _text("Pregnant people", long=True)
    dependants = _text("Dependants", long=True)
    prosecutor_involved = _flag("The prosecutor is involved in planning")
    media_invited = _flag("Media are invited", "Filming or photographing an operation is flagged.")
    PATHS = {
        "safety_plan": "safety_plan",
        "segregation_plan": "segregation_plan",
        "interviewers": "interview_plan.interviewers",
        "interviewer_training": "interview_plan.interviewer_training",
        "setting": "interview_plan.setting",
        "timing": "interview_plan.timing",
        "advocate_present": "interview_plan.advocate_present",
        "basic_needs_first": "interview_plan.basic_needs_first",
        "legal_access_before_questioning": "interview_plan.legal_access_before_questioning",
        "cross_referencing_plan": "cross_referencing_plan",
        "aftercare_provider": "aftercare.provider",
        "expected_languages": "expected_languages",
        "interpreter_languages": "interpreter_languages",
        "minors": "vulnerable_people_plan.minors",
        "pregnant_people": "vulnerable_people_plan.pregnant_people",
        "dependants": "vulnerable_people_plan.dependants",
        "prosecutor_involved": "prosecutor.involved_in_planning",
        "media_invited": "media_invited",
        **{f"expected_{code}": f"expected_people.{code}" for code in _ROLES.codes},
    }
    OMIT_EMPTY = frozenset(f"expected_{code}" for code in _ROLES.codes)
    FIELDSETS = (
        ("Safety and segregation", ("safety_plan", "segregation_plan")),
        (
            "Interview plan",
            (
                "interviewers",
                "interviewer_training",
                "setting",
                "timing",
                "advocate_present",
                "basic_needs_first",
                "legal_access_before_questioning",
                "cross_referencing_plan",
            ),
        ),
        ("Care after the operation", ("aftercare_provider",)),
        ("Languages", ("expected_languages", "interpreter_languages")),
        (
            "Minors, pregnant people and dependants at the scene",
            ("minors", "pregnant_people", "dependants"),
        ),
        ("Prosecutor and media", ("prosecutor_involved", "media_invited")),
        ("People expected, by role", tuple(f"expected_{code}" for code in _ROLES.codes)),
    )

    def write(self, target: dict) -> None:
        # A role left empty is not expected at all, which differs from an expected zero.
        target["expected_people"] = {}
        super().write(target)


class PeopleForm(PlanForm):
    policies = _codes("Policies the lead agency acknowledges", "plan_policy")
    female_officer = _code("A female officer will be", "plan_presence")
    advocate = _code("An advocate will be", "plan_presence")
    PATHS = {
        "policies": "policies_acknowledged_by_agency",
        "female_officer": "female_officer",
        "advocate": "advocate",
    }


class OfficerForm(PlanForm):
    officer = _text("Officer", "A badge number or another identifier, not a name.")
    hours = _amount("Hours of specialised trafficking training")
    implicit_bias_on = _date("Implicit-bias training on")
    trauma_informed = _flag("Trained in trauma-informed interviewing")
    policies = _codes("Policies acknowledged", "plan_policy")
    PATHS = {
        "officer": "officer",
        "hours": "trafficking_training_hours",
        "implicit_bias_on": "implicit_bias_training_on",
        "trauma_informed": "trauma_informed_interviewing",
        "policies": "policies_acknowledged",
    }


@dataclass(frozen=True)
class ListPart:
    """A list of the document, edited as a formset: ``path`` is its place in the document."""

    path: str
    form: type[PlanForm]
    title: str
    item: str

    @property
    def prefix(self) -> str:
        return self.path.replace(".", "-")


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    form: type[PlanForm]
    lists: tuple[ListPart, ...] = ()


SECTIONS = (
    Section(
        "overview",
        "Overview",
        "The operation, its objectives, its budget and who reviews the plan.",
        OverviewForm,
        (ListPart("budget", BudgetLineForm, "Planned budget", "Budget line"),),
    ),
    Section(
        "justification",
        "Justification",
        "Why an operation, and why not one of the alternatives.",
        JustificationForm,
        (ListPart("alternatives", AlternativeForm, "Alternatives considered", "Alternative"),),
    ),
    Section(
        "evidence",
        "Evidence",
        "Each item of intelligence behind the plan: its type, date, reliability and the elements "
        "of trafficking it goes to show.",
        NoFieldsForm,
        (ListPart("evidence", EvidenceForm, "Evidence items", "Evidence item"),),
    ),
    Section(
        "legal-basis",
        "Legal basis",
        "The statutes the operation targets, from the statute catalogue.",
        LegalBasisForm,
    ),
    Section(
        "smart-raid",
        "Smart-raid elements",
        "Safety, segregation, interviews, care, interpreters, the people at the scene.",
        SmartRaidForm,
        (
            ListPart("aftercare.shelter_places", ShelterPlacesForm, "Shelter places", "Places"),
            ListPart(
                "provider_notifications",
                NotificationForm,
                "Service providers notified in advance",
                "Notification",
            ),
        ),
    ),
    Section(
        "people",
        "People and policies",
        "The policies acknowledged, the officers assigned and their training, and who will be "
        "there.",
        PeopleForm,
        (ListPart("personnel", OfficerForm, "Officers assigned", "Officer"),),
    ),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


# --- Where a problem of the document is shown. ------------------------------------------------

_ITEM = re.compile(r"^(?P<list>[a-z_.]+)\[(?P<index>\d+)\](?:\.(?P<rest>.+))?$")
_TRAILING_INDEX = re.compile(r"\[\d+\]$")


@dataclass(frozen=True)
class Place:
    """Where a field of the document is edited: its section, its words, its form field."""

    section: Section
    label: str
    field: str | None = None
    part: ListPart | None = None
    index: int | None = None

    @property
    def anchor(self) -> str:
        if self.field is None:
            return ""
        if self.part is None:
            return f"id_{self.field}"
        return f"id_{self.part.prefix}-{self.index}-{self.field}"


def locate(path: str) -> Place | None:
    for section in SECTIONS:
        for part in section.lists:
            if path == part.path:
                return Place(section, part.title, part=part)
            match = _ITEM.match(path)
            if match and match["list"] == part.path:
                index = int(match["index"])
                name = part.form.field_for(_TRAILING_INDEX.sub("", match["rest"] or ""))
                label = f"{part.item} {index + 1}"
                if name:
                    label += f": {part.form.base_fields[name].label}"
                return Place(section, label, name, part, index)
        name = section.form.field_for(_TRAILING_INDEX.sub("", path))
        if name:
            return Place(section, section.form.base_fields[name].label, name)
    return None


@dataclass(frozen=True)
class Described:
    text: str
    place: Place | None


def describe(problems: list[plan_document.Problem]) -> list[Described]:
    """Each problem of a document in words, with the place where it is put right."""
    described = []
    for problem in problems:
        place = locate(problem.field)
        text = f"{place.label}: {problem.message}" if place else str(problem)
        described.append(Described(text, place))
    return described


# --- A section's forms, bound to a draft. -----------------------------------------------------


class ListFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this item"
            style_widget(form.fields["DELETE"].widget)


class SectionForms:
    """The forms of one section of a draft: the section's form and a formset for each list."""

    def __init__(self, section: Section, version, data=None):
        self.section = section
        source = version.document
        initial = section.form.initial_from(source)
        for name in PARTNER_FIELDS:
            if name in section.form.base_fields:
                initial[name] = getattr(version.plan, f"{name}_id")
        self.form = section.form(data, initial=initial)
        self.lists = []
        for part in section.lists:
            formset_class = forms.formset_factory(
                part.form,
                formset=ListFormSet,
                extra=EXTRA_ROWS,
                can_delete=True,
                can_delete_extra=False,
            )
            items = _get(source, part.path) or []
            formset = formset_class(
                data, initial=[part.form.initial_from(item) for item in items], prefix=part.prefix
            )
            self.lists.append((part, formset))
        # The rows that became the items of each list, in order, to show a problem on its row.
        self._rows: dict[str, list[PlanForm]] = {}

    @property
    def fieldsets(self) -> list[tuple[str, list]]:
        form = self.form
        groups = form.FIELDSETS or (("", tuple(form.fields)),)
        return [(legend, [form[name] for name in names]) for legend, names in groups]

    def is_valid(self) -> bool:
        valid = [self.form.is_valid(), *(formset.is_valid() for _, formset in self.lists)]
        return all(valid)

    def content(self, source: dict) -> dict:
        """The whole document with this section as typed."""
        content = copy.deepcopy(source)
        self.form.write(content)
        for part, formset in self.lists:
            rows = [
                row
                for row in formset.forms
                if row.cleaned_data and not row.cleaned_data.get("DELETE") and not row.is_blank()
            ]
            items = []
            for row in rows:
                item: dict = {}
                row.write(item)
                items.append(item)
            _put(content, part.path, items)
            self._rows[part.path] = rows
        return content

    def partners(self) -> dict:
        return {
            name: self.form.cleaned_data.get(name)
            for name in PARTNER_FIELDS
            if name in self.form.fields
        }

    def show_problems(self, problems: list[plan_document.Problem]) -> None:
        """Put each problem of the document on the field it is about, naming the field."""
        for problem in problems:
            place = locate(problem.field)
            text = f"{place.label}: {problem.message}" if place else str(problem)
            target = self._form_for(place)
            if target is None:
                self.form.add_error(None, text)
            else:
                target.add_error(place.field, text)

    def _form_for(self, place: Place | None) -> PlanForm | None:
        if place is None or place.section != self.section or place.field is None:
            return None
        if place.part is None:
            return self.form
        rows = self._rows.get(place.part.path, [])
        return rows[place.index] if place.index < len(rows) else None

    def show_refusal(self, error: ValidationError) -> None:
        add_service_errors(self.form, error)

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error on the page as (words naming the field, id of the field)."""
        summary = [(str(error), "") for error in self.form.non_field_errors()]
        summary += _field_errors(self.form, "")
        for part, formset in self.lists:
            summary += [(f"{part.title}: {error}", "") for error in formset.non_form_errors()]
            for index, row in enumerate(formset.forms):
                summary += _field_errors(row, f"{part.item} {index + 1}: ")
        return summary


def _field_errors(form: forms.Form, prefix: str) -> list[tuple[str, str]]:
    summary = []
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        field = form[name]
        label = f"{prefix}{field.label}"
        for error in errors:
            # Problems of the document already begin with the field's words.
            text = error if error.startswith(prefix or field.label) else f"{label}: {error}"
            summary.append((text, field.auto_id))
    return summary


# --- The plan as a person reads it. -----------------------------------------------------------


def _words(field: forms.Field, value) -> str:
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if value in (None, "", []):
        return "—"
    if isinstance(field, forms.ChoiceField):
        labels = dict(field.choices)
        values = value if isinstance(value, list) else [value]
        return "; ".join(str(labels.get(code, code)) for code in values)
    if isinstance(field, forms.DecimalField):
        return f"{value:,}"
    return str(value)


def readable(content: dict) -> list[dict]:
    """The plan section by section: each field's label and its value in words, and each list as
    a table."""
    sections = []
    for section in SECTIONS:
        form = section.form()
        rows = [(label, _get(content, path) or "—") for label, path in form.SHOWN]
        rows += [
            (form.fields[name].label, _words(form.fields[name], _get(content, path)))
            for name, path in form.PATHS.items()
            if name not in form.OMIT_EMPTY or _get(content, path) is not None
        ]
        tables = []
        for part in section.lists:
            item_form = part.form()
            tables.append(
                {
                    "title": part.title,
                    "headers": [item_form.fields[name].label for name in part.form.PATHS],
                    "rows": [
                        [
                            (
                                item_form.fields[name].label,
                                _words(item_form.fields[name], _get(item, path)),
                            )
                            for name, path in part.form.PATHS.items()
                        ]
                        for item in _get(content, part.path) or []
                    ],
                }
            )
        sections.append({"section": section, "rows": rows, "tables": tables})
    return sections


# --- The other forms of the plan pages. -------------------------------------------------------


class NewPlanForm(USWDSForm):
    name = _text("Name of the operation", "You can change it later.")
    prosecutor_office = forms.ModelChoiceField(
        label="Prosecutor's office",
        queryset=Agency.objects.filter(kind="prosecutor"),
        required=False,
        empty_label="Choose an office",
        help_text="It helps plan the operation and reviews the plan.",
    )
    service_partner = forms.ModelChoiceField(
        label="Victim-service partner",
        queryset=Agency.objects.filter(kind="victim_service_provider"),
        required=False,
        empty_label="Choose an organisation",
        help_text="It is consulted and reviews the plan.",
    )

    def content(self) -> dict:
        return {"format": plan_document.FORMAT, "name": self.cleaned_data["name"]}


# The action forms share a page: each has its own prefix, so that their fields' ids differ.


class ReviewForm(USWDSForm):
    prefix = "review"

    recommendation = forms.ChoiceField(
        label="Your recommendation",
        choices=PlanReview.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to recommend approving or returning it."},
    )
    comments = forms.CharField(
        label="Your comments",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you found in the plan, and what should change.",
        error_messages={"required": "Write your comments: a review needs them."},
    )


class WaiveForm(USWDSForm):
    prefix = "waive"

    rule = forms.ChoiceField(
        label="Finding to waive",
        error_messages={"required": "Choose the finding you waive."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this finding does not stop the operation. Waivers are counted publicly.",
        error_messages={"required": "Write why the finding does not stop the operation."},
    )

    def __init__(self, *args, rules: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "Choose a finding"), *rules]


class ApproveForm(USWDSForm):
    prefix = "approve"

    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything the team should know about the approval.",
    )


class ReturnForm(USWDSForm):
    prefix = "return"

    note = forms.CharField(
        label="What must change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what must change before the plan can be approved."},
    )


class OperationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code}, {obj.start_date:%Y-%m-%d})"


class LinkOperationForm(USWDSForm):
    prefix = "link"

    operation = OperationChoiceField(
        label="Recorded operation",
        queryset=None,
        empty_label="Choose an operation",
        error_messages={"required": "Choose the operation this plan became."},
    )

    def __init__(self, *args, operations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = operations
