"""The forms a data steward records an operation and its people with on the site's own pages
(issue 23). Parsing only: the rules are the models' and the services' (``recording``), whose
refusals come back on the field or the row they name.

A person is one form and three formsets of blank rows (what was done, charges, service offers),
posted together; a row left untouched is not a record.
"""

from typing import cast

from django import forms
from django.forms import formset_factory

from .forms_uswds import USWDSForm
from .models import Agency, Operation, OperationPlace, Statute
from .recording import CORRECTION_REASONS
from .vocabulary import vocabulary

CHOOSE_FROM_LIST = "Choose one of the options in the list."
DATE_ERROR = "enter a date as year-month-day, for example 2026-03-31."
DOES_NOT_APPLY = "Does not apply"


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": f"{label}: {DATE_ERROR}",
            "required": f"Enter the {label[0].lower()}{label[1:]}, as year-month-day.",
        },
    )


def _coded(
    label: str,
    vocabulary_name: str,
    *,
    initial: str | None = None,
    required: bool = True,
    empty: str | None = None,
    codes: tuple[str, ...] | None = None,
    help_text: str = "",
    required_message: str = "",
) -> forms.ChoiceField:
    """A choice from a vocabulary; ``empty`` adds a first, empty choice with that text."""
    vocab = vocabulary(vocabulary_name)
    choices = [(code, vocab.label(code)) for code in codes or vocab.codes]
    return forms.ChoiceField(
        label=label,
        choices=[("", empty), *choices] if empty is not None else choices,
        initial=initial,
        required=required,
        help_text=help_text,
        error_messages={
            "required": required_message or f"Choose the {label[0].lower()}{label[1:]}.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )


def _ticks(label: str, vocabulary_name: str, *, help_text: str, **kwargs):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=vocabulary(vocabulary_name).choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
        **kwargs,
    )


def _agency(label: str, *, required: bool, empty_label: str, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Agency.objects.order_by("name"),
        required=required,
        empty_label=empty_label,
        error_messages={
            "required": f"Choose the {label.lower()} from the register of organisations.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
        **kwargs,
    )


def _reason() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Why is the record corrected?",
        choices=list(CORRECTION_REASONS.items()),
        widget=forms.RadioSelect,
        help_text="Kept in the audit log with the fields that changed.",
        error_messages={
            "required": "Choose why the record is corrected.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )


# Titled groups of a form's fields: each a title and field names.
Groups = tuple[tuple[str, tuple[str, ...]], ...]


class FieldsetForm(USWDSForm):
    """A form drawn in titled groups (``FIELDSETS``)."""

    FIELDSETS: Groups = ()

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]


# --- An operation ---------------------------------------------------------------------------


class OperationFactsForm(FieldsetForm):
    """What an operation was: its own facts, which a correction may change."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="The operation's name as your agency gives it.",
        error_messages={
            "required": "Enter the operation's name.",
            "max_length": "Shorten the name to 200 characters at most.",
        },
    )
    operation_type = _coded("Operation type", "operation_type", empty="Choose the type")
    initiative = _coded(
        "Initiative",
        "initiative",
        initial="local",
        help_text="The national or local initiative it ran under.",
    )
    trigger = _coded("What triggered it", "operation_trigger", empty="Choose the trigger")
    start_date = _date("Start date", help_text="The first day of the operation.")
    end_date = _date("End date", help_text="The last day; the same as the start for one day.")
    stated_objective = forms.CharField(
        label="Stated objective",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The objective as the plan states it. No names or details of people.",
        error_messages={"required": "Enter the objective the plan states."},
    )
    sector_focus = _ticks(
        "Sectors of work targeted",
        "work_sector",
        help_text="Tick every sector the operation targeted; none when the plan does not say.",
    )

    FIELDSETS: Groups = (
        (
            "The operation",
            ("name", "operation_type", "initiative", "trigger", "start_date", "end_date"),
        ),
        ("What it was for", ("stated_objective", "sector_focus")),
    )


class OperationForm(OperationFactsForm):
    """A new operation: its facts and its lead agency, the steward's own by default."""

    lead_agency = _agency("Lead agency", required=True, empty_label="Choose the lead agency")

    FIELDSETS: Groups = (
        (
            "The operation",
            (
                "name",
                "operation_type",
                "initiative",
                "trigger",
                "start_date",
                "end_date",
                "lead_agency",
            ),
        ),
        ("What it was for", ("stated_objective", "sector_focus")),
    )


class OperationCorrectionForm(OperationFactsForm):
    reason = _reason()

    FIELDSETS: Groups = (*OperationFactsForm.FIELDSETS, ("Why", ("reason",)))


class ParticipantForm(USWDSForm):
    """Another agency that took part; the lead is named on the operation form."""

    agency = _agency("Agency", required=True, empty_label="Choose an agency")
    part = _coded(
        "Part it took",
        "participation_part",
        initial="participant",
        codes=tuple(code for code in vocabulary("participation_part").codes if code != "lead"),
    )


class PlaceForm(USWDSForm):
    """Where the operation took place, to the city and the kind of place; never an address."""

    venue_type = _coded("Kind of place", "venue_type", empty="Choose the kind of place")
    state = forms.RegexField(
        label="State",
        regex=r"^[A-Z]{2}$",
        max_length=2,
        help_text="Two capital letters, e.g. CA.",
        error_messages={
            "required": "Enter the state as two capital letters, e.g. CA.",
            "invalid": "Enter the state as two capital letters, e.g. CA.",
        },
    )
    county = forms.CharField(label="County", max_length=100, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)


ParticipantFormSet = formset_factory(ParticipantForm, extra=2)
PlaceFormSet = formset_factory(PlaceForm, extra=2)


# --- A person -------------------------------------------------------------------------------


class PersonForm(FieldsetForm):
    """A person met in the operation: the role assessed at the encounter and its basis, and the
    coded facts of the person; never a name or a description."""

    encountered_on = _date("Encountered on", help_text="The day, within the operation.")
    age_group = _coded("Age group", "age_group", initial="unknown", help_text="Never a birth date.")
    age_determination = _coded(
        "How the age was determined", "age_determination", initial="not_recorded"
    )
    entered_as_minor = _coded(
        "Entered commercial sex as a minor",
        "yes_no_unknown",
        initial="unknown",
        help_text="A person who did is a trafficking victim in law, whatever their age now.",
    )
    gender_identity = _coded(
        "Gender identity",
        "gender_identity",
        initial="not_recorded",
        help_text="As the person states it.",
    )
    race_ethnicity = _ticks(
        "Race and ethnicity",
        "race_ethnicity",
        initial=["not_recorded"],
        help_text="Several may be ticked; 'Not recorded' alone.",
    )
    citizenship_status = _coded(
        "Citizenship or immigration status", "citizenship_status", initial="unknown"
    )
    primary_language = _coded("Primary language", "language", initial="unknown")
    interpreter = _coded("Interpreter", "interpreter", initial="unknown")
    work_sector = _coded(
        "Sector of the work the person was in",
        "work_sector",
        initial="not_recorded",
        help_text="Where they worked or were exploited; 'Not recorded' if they did not say.",
    )
    trafficking_form = _coded(
        "Form of trafficking alleged",
        "trafficking_form",
        initial="not_recorded",
        help_text="What is alleged, not what is proven.",
    )
    role = _coded(
        "Role",
        "role",
        empty="Choose the role",
        help_text="A minor in commercial sex is a trafficking victim in law, never an adult in "
        "commercial sex.",
    )
    role_basis = _coded("Basis of the role", "role_basis", empty="Choose the basis")

    FIELDSETS: Groups = (
        ("Their role", ("role", "role_basis")),
        (
            "The person",
            (
                "encountered_on",
                "age_group",
                "age_determination",
                "entered_as_minor",
                "gender_identity",
                "race_ethnicity",
                "citizenship_status",
                "primary_language",
                "interpreter",
                "work_sector",
                "trafficking_form",
            ),
        ),
    )


class PersonCorrectionForm(PersonForm):
    """A correction of a person's facts; a changed role or basis is a new, dated assessment."""

    assessed_on = _date(
        "Role assessed on",
        required=False,
        help_text="Only when the role or its basis changes: the day of the new assessment. "
        "Leave empty for today.",
    )
    reason = _reason()

    FIELDSETS: Groups = (
        ("Their role", ("role", "role_basis", "assessed_on")),
        PersonForm.FIELDSETS[1],
        ("Why", ("reason",)),
    )


ROW_DATE_HELP = "Leave empty for the day of the encounter."


class EventForm(USWDSForm):
    """Something done to or for the person, with the details its kind needs."""

    kind = _coded(
        "What was done",
        "treatment_kind",
        empty="Choose what was done",
        required_message="Choose what was done, or leave the whole row empty.",
    )
    occurred_on = _date("On", required=False, help_text=ROW_DATE_HELP)
    arrest_basis = _coded(
        "Arrest basis",
        "arrest_basis",
        required=False,
        empty=DOES_NOT_APPLY,
        help_text="Only for an arrest.",
    )
    screener = _coded(
        "Who screened",
        "screener",
        required=False,
        empty=DOES_NOT_APPLY,
        help_text="Only for a screening, with the tool and the result.",
    )
    screening_tool = _coded(
        "Screening tool", "screening_tool", required=False, empty=DOES_NOT_APPLY
    )
    screening_result = _coded(
        "Screening result", "screening_result", required=False, empty=DOES_NOT_APPLY
    )
    interview_location = _coded(
        "Interview location",
        "interview_location",
        required=False,
        empty=DOES_NOT_APPLY,
        help_text="Only for an interview, with who was there.",
    )
    advocate_present = _coded(
        "Advocate at the interview", "advocate_presence", required=False, empty=DOES_NOT_APPLY
    )
    basic_needs_before = _coded(
        "Basic needs met before the interview",
        "yes_no_unknown",
        required=False,
        empty=DOES_NOT_APPLY,
    )
    attorney_present = _coded(
        "Attorney at the interview", "yes_no_unknown", required=False, empty=DOES_NOT_APPLY
    )


class ChargeForm(USWDSForm):
    statute = forms.ModelChoiceField(
        label="Statute",
        queryset=Statute.objects.order_by("jurisdiction", "citation"),
        empty_label="Choose the statute",
        error_messages={
            "required": "Choose the statute of the charge.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    charged_on = _date("Charged on", required=False, help_text=ROW_DATE_HELP)
    disposition = _coded("Disposition", "charge_disposition", initial="pending")
    disposition_on = _date(
        "Disposition on", required=False, help_text="The day of the decision; none if pending."
    )


class OfferForm(USWDSForm):
    """A service offered to the person; it never depends on their cooperation."""

    service_type = _coded("Service offered", "service_type", empty="Choose the service")
    offered_on = _date("Offered on", required=False, help_text=ROW_DATE_HELP)
    offered_by = _agency(
        "Offered by",
        required=False,
        empty_label="Your agency",
        help_text="Which agency offered it.",
    )
    provider = _agency(
        "Provider referred to",
        required=False,
        empty_label="None",
        help_text="The victim-service provider, if any.",
    )
    response = _coded("The person's answer", "offer_response", initial="no_answer_yet")


class CooperationForm(USWDSForm):
    """Cooperation with law enforcement, dated; kept apart from the service offers, which never
    depend on it."""

    status = _coded(
        "Cooperation", "cooperation_status", empty="Choose what was recorded", required=True
    )
    recorded_on = _date("Recorded on", required=False, help_text=ROW_DATE_HELP)


def _answer(label: str, vocabulary_name: str) -> forms.ChoiceField:
    """An answer learnt at a follow-up, 'unknown' until it is known."""
    return _coded(
        label,
        vocabulary_name,
        initial="unknown",
        required_message=f"Choose an answer for “{label}”, or “Unknown”.",
    )


class FollowUpForm(USWDSForm):
    """A follow-up with the person: when it is due and, once done, what was learnt."""

    due_on = _date("Due on")
    done_on = _date("Done on", required=False, help_text="Leave empty if it is not done yet.")
    reached = _coded(
        "Was the person reached?",
        "yes_no_unknown",
        required=False,
        empty="Not done yet",
        help_text="Only once the follow-up is done.",
    )
    still_receiving_services = _answer("Still receiving services", "yes_no_unknown")
    re_trafficking = _answer("Re-trafficked since", "re_trafficking")
    deported = _answer("Deported since", "yes_no_unknown")
    prosecuted = _answer("Prosecuted since", "yes_no_unknown")
    prosecuted_for = forms.ModelMultipleChoiceField(
        label="Prosecuted for",
        queryset=Statute.objects.order_by("jurisdiction", "citation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if the person was prosecuted.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST, "invalid_pk_value": CHOOSE_FROM_LIST},
    )


EventFormSet = formset_factory(EventForm, extra=2)
ChargeFormSet = formset_factory(ChargeForm, extra=2)
OfferFormSet = formset_factory(OfferForm, extra=2)

# The repeated parts of a person, by the name ``recording.Refused`` gives them, with their title.
PERSON_ROWS = (
    ("events", EventFormSet, "What was done"),
    ("charges", ChargeFormSet, "Charges"),
    ("offers", OfferFormSet, "Service offers"),
)

# What is added to a person's record later (``recording.record_what_happened``), with each part's
# hint. Cooperation comes after the services and on its own, as on the person's page.
LATER_ROWS = (
    (*PERSON_ROWS[0], ""),
    (*PERSON_ROWS[1], ""),
    (*PERSON_ROWS[2], "A service is offered whether or not the person cooperates."),
    (
        "cooperation",
        formset_factory(CooperationForm, extra=1),
        "Cooperation with law enforcement",
        "Recorded apart from services: no offer, referral or service depends on it.",
    ),
    ("follow_ups", formset_factory(FollowUpForm, extra=1), "Follow-ups", ""),
)


class PageForm(USWDSForm):
    """A page made of rows only: what is refused of the page as a whole (nothing entered, a
    record that is not the user's) is shown on it."""


# --- An operation's agencies and places -----------------------------------------------------


def _removable(label: str, help_text: str) -> forms.ModelMultipleChoiceField:
    """Records of the operation to tick for removal; the form sets which (``queryset``)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=OperationPlace.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST, "invalid_pk_value": CHOOSE_FROM_LIST},
    )


class AgenciesCorrectionForm(USWDSForm):
    """Which agencies took part and where: the lead agency, the other agencies and the places to
    remove, and why; those to add are rows (``ParticipantFormSet``, ``PlaceFormSet``)."""

    lead_agency = _agency("Lead agency", required=True, empty_label="Choose the lead agency")
    removed_participants = _removable(
        "Remove these agencies",
        "Tick an agency that did not take part, or not in the part shown.",
    )
    removed_places = _removable(
        "Remove these places", "Tick a place where the operation did not take place."
    )
    reason = _reason()

    def __init__(self, *args, operation: Operation, **kwargs):
        super().__init__(*args, **kwargs)
        removable = {
            "removed_participants": operation.participants.exclude(part="lead").select_related(
                "agency"
            ),
            "removed_places": operation.places.all(),
        }
        for name, records in removable.items():
            cast(forms.ModelMultipleChoiceField, self.fields[name]).queryset = records


def show_refusal(form: forms.Form, error) -> None:
    """A service's refusal on the field it names when the form has it, otherwise on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def filled_rows(formset) -> list[forms.Form]:
    """The rows the steward filled in; an untouched row is not a record."""
    return [form for form in formset.forms if form.has_changed()]


def error_summary(form, sections) -> list[tuple[str, str, str]]:
    """Every error of the page, in order, as (the field's id, what to call it, the message):
    ``sections`` are (title, formset) pairs whose rows are numbered from 1."""
    summary = [("", "", str(error)) for error in form.non_field_errors()]
    summary += [
        (field.auto_id, field.label, str(error)) for field in form for error in field.errors
    ]
    for title, formset in sections:
        summary += [("", title, str(error)) for error in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            name = f"{title}, row {number}"
            summary += [("", name, str(error)) for error in row.non_field_errors()]
            summary += [
                (field.auto_id, f"{name}: {field.label}", str(error))
                for field in row
                for error in field.errors
            ]
    return summary
