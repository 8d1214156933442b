"""Forms of the page "Family, court and record clearing": one to add each kind of record
(harms after an operation and placements too), and those that move a record along.

They only parse what was typed; what may change, and when, is decided by ``services``, whose
refusals the view puts back on the field they name. Ticked lists are optional here so that the
service's own words say what is missing. A form about one record takes that record, and its
prefix carries the record's code, so that the fields of every form on the page have ids of
their own.
"""

from django import forms
from django.utils import timezone

from beyondraid.standard.forms_uswds import USWDSForm
from beyondraid.standard.models import Agency

from .forms import CHOOSE_FROM_LIST, DATE_ERROR
from .models import (
    PROVIDER_KIND,
    Answer,
    CourtDate,
    FamilyReunification,
    Harm,
    Placement,
    RecordClearing,
)


def _date(label: str, *, today: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        initial=timezone.localdate if today else None,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR, "required": "Enter the date, as year-month-day."},
        **kwargs,
    )


def _radio(label: str, choices, *, required_message: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": CHOOSE_FROM_LIST},
        **kwargs,
    )


def _ticks(label: str, choices, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
        **kwargs,
    )


class _SupportForm(USWDSForm):
    """What the page needs to show a form: the ``action`` it posts (the view dispatches on it),
    the record it acts on, if any, its heading and the words on its button."""

    action = ""
    record = None
    title = ""
    button = ""


class _AboutOneRecord(_SupportForm):
    def __init__(self, *args, record, **kwargs):
        self.record = record
        super().__init__(*args, prefix=f"{self.action}-{record.code}", **kwargs)


# --- Family reunification -----------------------------------------------------------------------

_SAFETY_HELP = (
    "What is known of the danger to the family members: choices only, never a name or a place."
)


class FamilyReunificationForm(_SupportForm):
    prefix = "family"
    action = "add_family"
    title = "Record a request for family reunification"
    button = "Record the request"

    requested_on = _date("Requested on", help_text="The day the person asked.")
    members_count = forms.IntegerField(
        label="How many family members",
        min_value=1,
        max_value=99,
        error_messages={
            "required": "Enter how many family members the request is about.",
            "invalid": "Enter a whole number, such as 2.",
            "min_value": "A request is about at least one family member.",
            "max_value": "Enter a number below 100.",
        },
    )
    relationships = _ticks(
        "How they are related to the person", FamilyReunification.Relationship.choices
    )
    whereabouts = _radio(
        "Where they are",
        FamilyReunification.Whereabouts.choices,
        initial=FamilyReunification.Whereabouts.UNKNOWN,
        required_message="Say where the family members are ('Not known' if nobody knows).",
    )
    safety_concern = _radio(
        "Their safety",
        FamilyReunification.Safety.choices,
        initial=FamilyReunification.Safety.UNKNOWN,
        required_message="Say whether there is a concern for their safety.",
        help_text=_SAFETY_HELP,
    )
    concerns = _ticks("What the danger is", FamilyReunification.Concern.choices)
    safety_plan = forms.BooleanField(
        label="A plan to protect the family members is in place", required=False
    )


class FamilySafetyForm(_AboutOneRecord):
    action = "family_safety"
    title = "The family's safety"
    button = "Record their safety"

    safety_concern = _radio(
        "Their safety",
        FamilyReunification.Safety.choices,
        required_message="Say whether there is a concern for their safety.",
        help_text=_SAFETY_HELP,
    )
    concerns = _ticks("What the danger is", FamilyReunification.Concern.choices)
    safety_plan = forms.BooleanField(
        label="A plan to protect the family members is in place", required=False
    )

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "safety_concern": record.safety_concern,
                "concerns": record.concerns,
                "safety_plan": record.safety_plan,
            },
        )
        super().__init__(*args, record=record, **kwargs)


class FamilyStepForm(_AboutOneRecord):
    action = "family_step"
    title = "Move the request along"
    button = "Record the step"

    status = _radio("What happened", (), required_message="Choose what happened.")
    changed_on = _date("On")
    not_possible_reason = forms.ChoiceField(
        label="Why it is not possible",
        required=False,
        choices=[
            ("", "Only when it is not possible"),
            *FamilyReunification.NotPossibleReason.choices,
        ],
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )

    def __init__(self, *args, record, next_steps, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.fields["status"].choices = [
            (step, FamilyReunification.Status(step).label) for step in next_steps
        ]


# --- Court dates --------------------------------------------------------------------------------

_SUPPORT_HELP = "Tick what is arranged, or that the person declined support; not both."


class CourtDateForm(_SupportForm):
    prefix = "court"
    action = "add_court"
    title = "Record a court date"
    button = "Record the court date"

    hearing_on = _date("Day of the hearing", today=False)
    capacity = _radio(
        "The person is in court as",
        CourtDate.Capacity.choices,
        required_message="Say why the person is in court.",
    )
    hearing_kind = forms.ChoiceField(
        label="Kind of hearing",
        choices=[("", "Choose a kind of hearing"), *CourtDate.Hearing.choices],
        error_messages={
            "required": "Choose the kind of hearing ('Another hearing' if none fits).",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    support = _ticks("Support arranged", CourtDate.Support.choices, help_text=_SUPPORT_HELP)
    support_declined = forms.BooleanField(
        label="The person declined support for this date", required=False
    )


class CourtSupportForm(_AboutOneRecord):
    action = "court_support"
    title = "Support for this date"
    button = "Record the support"

    support = _ticks("Support arranged", CourtDate.Support.choices, help_text=_SUPPORT_HELP)
    support_declined = forms.BooleanField(
        label="The person declined support for this date", required=False
    )

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault(
            "initial", {"support": record.support, "support_declined": record.support_declined}
        )
        super().__init__(*args, record=record, **kwargs)


class CourtOutcomeForm(_AboutOneRecord):
    action = "court_outcome"
    title = "What happened"
    button = "Record what happened"

    outcome = _radio(
        "What happened",
        CourtDate.Outcome.choices,
        required_message="Choose what happened.",
        help_text="Whether the person attended is recorded from the day of the hearing. A "
        "postponed hearing's new day is a court date of its own.",
    )


# --- Record clearing ----------------------------------------------------------------------------


class RecordClearingForm(_SupportForm):
    prefix = "clearing"
    action = "add_clearing"
    title = "Refer the person for record clearing"
    button = "Record the referral"

    remedy = _radio(
        "Remedy", RecordClearing.Remedy.choices, required_message="Choose the remedy sought."
    )
    referred_on = _date("Referred on")
    referred_to = forms.ModelChoiceField(
        label="Referred to",
        queryset=Agency.objects.filter(kind=PROVIDER_KIND).order_by("name"),
        required=False,
        empty_label="A provider not in the directory",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )


class ClearingStepForm(_AboutOneRecord):
    action = "clearing_step"
    title = "Move it along"
    button = "Record the step"

    status = _radio("What happened", (), required_message="Choose what happened.")
    changed_on = _date("On")
    denial_reason = forms.ChoiceField(
        label="Ground of the denial",
        required=False,
        choices=[("", "Only when denied"), *RecordClearing.DenialReason.choices],
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )

    def __init__(self, *args, record, next_steps, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.fields["status"].choices = [
            (step, RecordClearing.Status(step).label) for step in next_steps
        ]


# --- Harms after the operation ------------------------------------------------------------------


class HarmForm(_SupportForm):
    """Only ever adds: a harm that happened stays recorded (principle 4), so no form changes or
    removes one."""

    prefix = "harm"
    action = "add_harm"
    title = "Record a harm after the operation"
    button = "Record the harm"

    kind = _radio(
        "What happened",
        Harm.Kind.choices,
        required_message="Choose what happened.",
        help_text="Immigration proceedings (a Notice to Appear, detention, a removal order, a "
        "removal) are counted for each operation (R-162). A family separated (R-207) or a risk "
        "of violence at home (R-206) raises an alert that stays. A harm is never changed or "
        "removed once recorded.",
    )
    occurred_on = _date(
        "On",
        help_text="The day it happened, or the day it was learned if that is all that is known.",
    )


# --- Placements ---------------------------------------------------------------------------------

_CONDITION_QUESTIONS = {
    "free_to_leave": (
        "Free to leave",
        "Could the person come and go as they pleased?",
        "Say whether the person was free to leave ('Not known' if nobody knows).",
    ),
    "phone_access": (
        "Phone",
        "Could the person use a phone?",
        "Say whether the person could use a phone ('Not known' if nobody knows).",
    ),
    "staff_speak_language": (
        "Staff who speak the person's language",
        "Were there staff who speak the person's language?",
        "Say whether staff spoke the person's language ('Not known' if nobody knows).",
    ),
    "locked": (
        "Locked",
        "Was the placement locked, so that the person could not open the door?",
        "Say whether the placement was locked ('Not known' if nobody knows).",
    ),
}


def _condition(name: str) -> forms.ChoiceField:
    label, question, required = _CONDITION_QUESTIONS[name]
    return _radio(label, Answer.choices, required_message=required, help_text=question)


def _time_limit() -> forms.IntegerField:
    return forms.IntegerField(
        label="Time limit, in days",
        required=False,
        min_value=1,
        max_value=3650,
        help_text="The longest stay the placement allows; leave empty if it has no limit.",
        error_messages={
            "invalid": "Enter a whole number of days, such as 30.",
            "min_value": "A time limit is at least one day; leave it empty if there is none.",
            "max_value": "Enter a number of days below ten years (3650).",
        },
    )


class PlacementForm(_SupportForm):
    prefix = "placement"
    action = "add_placement"
    title = "Record a placement"
    button = "Record the placement"

    setting = _radio(
        "Where", Placement.Setting.choices, required_message="Choose where the person was placed."
    )
    provider = forms.ModelChoiceField(
        label="Run by",
        queryset=Agency.objects.filter(kind=PROVIDER_KIND).order_by("name"),
        required=False,
        empty_label="An organisation not in the directory",
        help_text="A victim-service provider of the directory, if it runs the placement.",
        error_messages={"invalid_choice": "Choose a victim-service provider of the list."},
    )
    placed_on = _date("Placed on")
    ended_on = _date("Ended on", today=False, required=False, help_text="Empty while it lasts.")
    free_to_leave = _condition("free_to_leave")
    phone_access = _condition("phone_access")
    staff_speak_language = _condition("staff_speak_language")
    locked = _condition("locked")
    time_limit_days = _time_limit()


class PlacementConditionsForm(_AboutOneRecord):
    """A correction of what is known of the conditions; the audit log keeps which changed."""

    action = "placement_correct"
    title = "Correct its conditions"
    button = "Record the correction"

    free_to_leave = _condition("free_to_leave")
    phone_access = _condition("phone_access")
    staff_speak_language = _condition("staff_speak_language")
    locked = _condition("locked")
    time_limit_days = _time_limit()

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault("initial", {name: getattr(record, name) for name in self.base_fields})
        super().__init__(*args, record=record, **kwargs)


class PlacementEndForm(_AboutOneRecord):
    action = "placement_end"
    title = "The placement ended"
    button = "Record the end"

    ended_on = _date("Ended on")
