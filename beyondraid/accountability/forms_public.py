"""The reporting forms. They parse what was typed; ``services`` decides what a report needs.
Every label is translated (English and Spanish at least). Each carries a signed token instead of
Django's CSRF cookie (``protection``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from beyondraid.standard.forms_uswds import USWDSForm, style_widget

from .models import Conduct, ReporterIs
from .protection import SignedForm
from .receipts import ReceiptKind
from .services import ACCOUNT_MAX_CHARACTERS, FIELD_MAX_CHARACTERS, MESSAGE_MAX_CHARACTERS

# Room for three officers without any script; a report may name more in its account.
OFFICER_ROWS = 3


class ReportForm(SignedForm, USWDSForm):
    form_name = "report"

    conduct = forms.MultipleChoiceField(
        label=_("What happened? Choose everything that applies."),
        choices=Conduct.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    account = forms.CharField(
        label=_("Tell us what happened, in your own words"),
        help_text=_(
            "Do not write your own name or anything that identifies you unless you want to."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=ACCOUNT_MAX_CHARACTERS,
        required=False,
    )
    when = forms.CharField(
        label=_("When did it happen?"),
        help_text=_("A date, or roughly when."),
        max_length=FIELD_MAX_CHARACTERS,
        required=False,
    )
    where = forms.CharField(
        label=_("Where did it happen?"),
        max_length=FIELD_MAX_CHARACTERS,
        required=False,
    )
    operation = forms.CharField(
        label=_("Which operation, if you know"),
        help_text=_("Its public reference, or its date and place."),
        max_length=FIELD_MAX_CHARACTERS,
        required=False,
    )
    reporter_is = forms.ChoiceField(
        label=_("Who are you?"),
        choices=ReporterIs.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    receipt_kind = forms.ChoiceField(
        label=_("How would you like your receipt?"),
        help_text=_("You need it to read our answers. It is shown once and never sent to you."),
        choices=[
            (ReceiptKind.PASSPHRASE, _("Seven words (easier to write down)")),
            (ReceiptKind.NUMBER, _("Sixteen digits")),
        ],
        initial=ReceiptKind.PASSPHRASE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, OFFICER_ROWS + 1):
            for name, label in (
                ("badge", _("Badge number")),
                ("name", _("Name")),
                ("unit", _("Unit")),
            ):
                self.fields[f"officer_{row}_{name}"] = forms.CharField(
                    label=label, max_length=FIELD_MAX_CHARACTERS, required=False
                )
                style_widget(self.fields[f"officer_{row}_{name}"].widget)

    def officer_rows(self):
        """The officer fields by row, for the template."""
        return [
            [self[f"officer_{row}_{name}"] for name in ("badge", "name", "unit")]
            for row in range(1, OFFICER_ROWS + 1)
        ]

    def officers(self) -> list[dict]:
        return [
            {
                name: self.cleaned_data.get(f"officer_{row}_{name}", "")
                for name in ("badge", "name", "unit")
            }
            for row in range(1, OFFICER_ROWS + 1)
        ]


class ReceiptForm(SignedForm, USWDSForm):
    form_name = "follow-up"

    receipt = forms.CharField(
        label=_("Your receipt"),
        help_text=_("The seven words or sixteen digits you were given when you sent your report."),
        max_length=200,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
    )
    reply = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MESSAGE_MAX_CHARACTERS,
        required=False,
    )
