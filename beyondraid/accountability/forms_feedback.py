"""The feedback form of a person who was encountered in an operation or received services. It
parses what was chosen and typed; ``services.submit_feedback`` decides what a feedback needs.
Every label is translated, and the form carries a signed token instead of Django's CSRF cookie
(``protection``), as the report form does."""

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beyondraid.standard.forms_uswds import USWDSForm

from .models import FeedbackAnswer
from .protection import SignedForm
from .receipts import ReceiptKind
from .services import (
    ACCOUNT_MAX_CHARACTERS,
    FEEDBACK_QUESTIONS,
    FEEDBACK_YEARS,
    FIELD_MAX_CHARACTERS,
)

ANSWERS = [
    (FeedbackAnswer.YES, _("Yes")),
    (FeedbackAnswer.NO, _("No")),
    (FeedbackAnswer.NOT_SAID, _("I'd rather not say")),
]


def _question(label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=ANSWERS, widget=forms.RadioSelect, required=False)


def _years() -> list[tuple[str, str]]:
    """Read each time the field is shown, so the list follows the calendar."""
    this_year = timezone.localdate().year
    return [("", gettext("Year"))] + [
        (str(year), str(year)) for year in range(this_year, this_year - FEEDBACK_YEARS - 1, -1)
    ]


class FeedbackForm(SignedForm, USWDSForm):
    form_name = "feedback"

    rights_explained = _question(
        _("Were your rights explained to you in a language you understand?")
    )
    free_to_leave = _question(_("Did you feel free to leave?"))
    without_judgement = _question(_("Were you treated without judgement?"))
    help_needed = _question(_("Was the help what you needed?"))
    organisation = forms.CharField(
        label=_("Which organisation is it about?"),
        help_text=_(
            "A shelter, a service provider or an agency, if you know. Only the oversight "
            "investigators can read it, like everything you write here."
        ),
        max_length=FIELD_MAX_CHARACTERS,
        required=False,
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", _("Month")), *((str(number), name) for number, name in MONTHS.items())],
        coerce=int,
        empty_value=None,
        required=False,
    )
    year = forms.TypedChoiceField(
        label=_("Year"), choices=_years, coerce=int, empty_value=None, required=False
    )
    comment = forms.CharField(
        label=_("A complaint or a comment, in your own words"),
        help_text=_(
            "Do not write your own name or anything that identifies you unless you want to."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=ACCOUNT_MAX_CHARACTERS,
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

    def questions(self):
        """The four questions, for the template."""
        return [self[name] for name in FEEDBACK_QUESTIONS]

    def when_fields(self):
        return [self["month"], self["year"]]
