import datetime

from django import forms
from django.utils import timezone

from beyondraid.standard.forms_uswds import USWDSForm

from .models import RECORD_TYPES

DATE_ERROR = "Enter a date as year-month-day, for example 2027-03-31."


def _in_ninety_days() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=90)


class TokenForm(USWDSForm):
    name = forms.CharField(
        label="The system that will use it",
        max_length=120,
        help_text="For example: our records management system, nightly export.",
    )
    can_read = forms.BooleanField(label="Read records", required=False, initial=True)
    can_write = forms.BooleanField(label="Write records", required=False)
    record_types = forms.MultipleChoiceField(
        label="Kinds of record",
        choices=RECORD_TYPES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of record."},
    )
    expires_on = forms.DateField(
        label="Works until",
        initial=_in_ninety_days,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR, "required": DATE_ERROR},
        help_text="At most a year from today.",
    )
