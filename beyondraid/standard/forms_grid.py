"""The forms of the people grid: the day the people were met, and one row per person.

Parsing only; the rules are the services' (``recording_grid.record_people``), whose refusals
come back on the row and column they name. Every choice of a row starts with a blank option that
says what a blank means, so that a row left as it came is blank and ignored, and rows added to
the page start blank too.
"""

import datetime

from django import forms
from django.forms import BaseFormSet, formset_factory

from .forms_funding import CHOOSE_FROM_LIST, DATE_ERROR
from .forms_uswds import USWDSForm
from .recording_grid import PersonRow, grid_events
from .vocabulary import vocabulary

PREFIX = "person"
FIRST_ROWS = 5
ADDED_ROWS = 5
MAX_ROWS = 50


class GridDayForm(USWDSForm):
    """The day every row is recorded on unless the row gives its own."""

    encountered_on = forms.DateField(
        label="Day the people were met",
        help_text="Each row is recorded on this day unless its own date says otherwise.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": f"Day the people were met: {DATE_ERROR}",
            "required": "Enter the day the people were met, as year-month-day.",
        },
    )


def _all_but(name: str, default: str) -> list[tuple[str, str]]:
    """The terms of a vocabulary but its default, which the blank option stands for."""
    return [(code, label) for code, label in vocabulary(name).choices if code != default]


def _choice(label: str, blank: str, choices, *, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", blank), *choices],
        required=required,
        error_messages={
            "required": f"Choose the {label.lower()}.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )


# The cells whose entries are short: a date or a choice of a few words.
_SHORT_CELLS = {"encountered_on", "age_group", "gender_identity", "response"}


class PersonRowForm(USWDSForm):
    """One person: when, who (age group, gender), the role and its basis, and what was done."""

    # Typed as text: a browser's date input takes three presses of Tab to cross, one per part,
    # which breaks the one-cell-one-Tab rhythm of the grid.
    encountered_on = forms.DateField(
        label="Date",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10},
            format="%Y-%m-%d",
        ),
        error_messages={"invalid": DATE_ERROR},
    )
    age_group = _choice("Age group", "Unknown", _all_but("age_group", "unknown"))
    gender_identity = _choice(
        "Gender identity", "Not recorded", _all_but("gender_identity", "not_recorded")
    )
    role = _choice("Role", "Choose the role", vocabulary("role").choices, required=True)
    role_basis = _choice(
        "Basis of the role", "Choose the basis", vocabulary("role_basis").choices, required=True
    )
    arrest_basis = _choice(
        "Arrested",
        "Not arrested",
        [
            (code, f"Arrested: {label.lower()}")
            for code, label in vocabulary("arrest_basis").choices
        ],
    )
    event = _choice("Also done", "Nothing else", grid_events())
    service_type = _choice("Service offered", "None offered", vocabulary("service_type").choices)
    response = _choice(
        "Answer to the offer", "No answer yet", _all_but("offer_response", "no_answer_yet")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # In a cell the input keeps the table's rhythm instead of a form's spacing, and is
            # wide enough to show the choice made; the table scrolls sideways on narrow screens.
            width = "minw-15" if name in _SHORT_CELLS else "width-card"
            field.widget.attrs["class"] += f" margin-top-0 {width}"

    def to_row(self, number: int, day: datetime.date) -> PersonRow:
        data = self.cleaned_data
        return PersonRow(
            number=number,
            encountered_on=data["encountered_on"] or day,
            role=data["role"],
            role_basis=data["role_basis"],
            age_group=data["age_group"] or "unknown",
            gender_identity=data["gender_identity"] or "not_recorded",
            arrest_basis=data["arrest_basis"],
            event=data["event"],
            service_type=data["service_type"],
            response=data["response"] or "no_answer_yet",
        )


class BasePeopleGrid(BaseFormSet):
    """The rows; ``carried`` are the entries of rows already typed, shown again when rows are
    added, so that adding rows keeps what was typed without saving it."""

    def __init__(self, *args, carried: list[dict[str, str]] | None = None, **kwargs):
        self.carried = carried or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.carried):
            kwargs["initial"] = self.carried[index]
        return kwargs

    def filled(self) -> list[tuple[int, PersonRowForm]]:
        """The rows with something typed, each with its number as the page shows it."""
        return [
            (number, form) for number, form in enumerate(self.forms, start=1) if form.has_changed()
        ]


def people_grid(rows: int):
    """The formset class with ``rows`` rows when it is not bound; a bound one has as many rows
    as were posted, up to ``MAX_ROWS``."""
    return formset_factory(
        PersonRowForm,
        formset=BasePeopleGrid,
        extra=rows,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


def carried_rows(data) -> list[dict[str, str]]:
    """The rows typed in a posted grid, as initial values for the same rows shown again."""
    try:
        total = min(int(data.get(f"{PREFIX}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        total = 0
    return [
        {name: data.get(f"{PREFIX}-{index}-{name}", "") for name in PersonRowForm.base_fields}
        for index in range(total)
    ]


def rows_wanted(value: str | None) -> int:
    """The number of rows asked for in the page's address, kept between 1 and ``MAX_ROWS``."""
    try:
        return max(1, min(int(value or FIRST_ROWS), MAX_ROWS))
    except ValueError:
        return FIRST_ROWS
