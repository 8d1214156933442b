"""The forms of the funding pages: a funding source as a person records or corrects it, and the
filter of the list. Parsing only; the rules are the model's and the services' (``record_funding``,
``correct_funding``), whose refusals come back on the field they name."""

import datetime

from django import forms

from .forms_uswds import USWDSForm
from .models import Agency
from .vocabulary import vocabulary

CHOOSE_FROM_LIST = "Choose one of the options in the list."
DATE_ERROR = "Enter a date as year-month-day, for example 2026-03-31."


def _date(label: str, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": f"{label}: {DATE_ERROR}",
            "required": f"Enter the {label.lower()}, as year-month-day.",
        },
    )


def _organisation(label: str, *, required: bool, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Agency.objects.order_by("name"),
        required=required,
        error_messages={
            "required": f"Choose the {label.lower()} from the register of organisations.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
        **kwargs,
    )


class FundingForm(USWDSForm):
    """Who gave the money, to whom, for what, on which conditions, how much and for when."""

    funder = _organisation(
        "Funder",
        required=True,
        empty_label="Choose the funder",
        help_text="The organisation that gave the money: a government office, a federal "
        "programme, a foundation, or your own agency for its own budget.",
    )
    recipient = _organisation(
        "Recipient",
        required=False,
        empty_label="None: money for our own operations",
        help_text="The organisation that received the money. Only money for law-enforcement "
        "operations may have none; its allocations to operations say where it went.",
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=vocabulary("funding_purpose").choices,
        initial="law_enforcement_operations",
        widget=forms.RadioSelect,
        help_text="What the money is for.",
        error_messages={
            "required": "Choose what the money is for.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    conditions = forms.MultipleChoiceField(
        label="Conditions attached",
        choices=vocabulary("funding_condition").choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every condition the funder attached, or 'No conditions' alone; tick "
        "none when you do not know.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    programme = forms.CharField(
        label="Programme",
        max_length=200,
        help_text="The grant or budget line, as the funder names it.",
        error_messages={
            "required": "Enter the programme: the grant or budget line the money comes from.",
            "max_length": "Shorten the programme's name to 200 characters at most.",
        },
    )
    amount = forms.DecimalField(
        label="Amount in dollars",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="The whole amount for the period, without the dollar sign, e.g. 250000.00.",
        error_messages={
            "required": "Enter the amount in dollars.",
            "invalid": "Enter the amount as a number of dollars, e.g. 250000.00.",
            "min_value": "The amount cannot be negative.",
            "max_digits": "The amount has too many digits.",
            "max_decimal_places": "Enter the amount to the cent at most (two decimals).",
            "max_whole_digits": "The amount has too many digits.",
        },
    )
    period_start = _date("First day of the period", "The first day the money covers.")
    period_end = _date("Last day of the period", "The last day the money covers.")


class FundingFilterForm(USWDSForm):
    """The list's filter: a purpose and a year (funding whose period overlaps it)."""

    purpose = forms.ChoiceField(
        label="Purpose",
        required=False,
        choices=[("", "Every purpose"), *vocabulary("funding_purpose").choices],
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="Funding whose period falls at least partly in this year.",
        error_messages={
            "invalid": "Enter the year as four digits, e.g. 2020.",
            "min_value": "Enter a year from 1900 to 2100.",
            "max_value": "Enter a year from 1900 to 2100.",
        },
    )

    def period(self) -> tuple[datetime.date, datetime.date] | None:
        year = self.cleaned_data.get("year")
        return (datetime.date(year, 1, 1), datetime.date(year, 12, 31)) if year else None
