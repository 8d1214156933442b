"""The field in which a steward or a caseworker types a booking or case number to link a person's
records (docs/linkage.md). The number is hashed by the service and goes nowhere else: the field
never writes it back into a page, not even when the form comes back with an error."""

from django import forms

from .forms_uswds import USWDSForm

LINK_HELP = (
    "A number your organisation already holds, typed as it appears in your own files. Only a "
    "keyed hash of it is kept: the number itself is never stored, logged or shown again."
)


class IdentifierInput(forms.TextInput):
    """A text box that never renders its value back: a page that repeats the number would put
    it in the browser's history, caches and screenshots."""

    def format_value(self, value):
        return None


def identifier_field(label: str, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=100,
        help_text=LINK_HELP,
        widget=IdentifierInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Give the {label[0].lower()}{label[1:]}.",
            "max_length": "A booking or case number has at most 100 characters.",
        },
    )


class LinkForm(USWDSForm):
    identifier = identifier_field("Booking or case number", required=True)
