"""The search form of the public directory (``/help/``): service, language and county, each
optional, sent by GET so that it works without JavaScript and a search can be bookmarked. Every
word is translated; the choices are built for each request, in the reader's language."""

from typing import cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beyondraid.standard.forms_uswds import USWDSForm

from .counties import county_choices_by_state
from .models import DirectoryList, listable_codes
from .public_labels import public_label

CHOOSE_FROM_LIST = _("Choose one of the options in the list.")


def _filter(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, error_messages={"invalid_choice": CHOOSE_FROM_LIST}
    )


def _labelled(list_name: str, vocabulary_name: str) -> list[tuple[str, str]]:
    return [(code, public_label(vocabulary_name, code)) for code in listable_codes(list_name)]


class PublicDirectoryForm(USWDSForm):
    service = _filter(_("Service"))
    language = _filter(_("Language spoken"))
    county = _filter(_("County"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(
            "service", gettext("Any service"), _labelled(DirectoryList.SERVICES, "service_type")
        )
        self._offer(
            "language", gettext("Any language"), _labelled(DirectoryList.LANGUAGES, "language")
        )
        self._offer("county", gettext("Any county"), county_choices_by_state())

    def _offer(self, name: str, anything: str, choices: list) -> None:
        field = cast(forms.ChoiceField, self.fields[name])
        field.choices = [("", anything), *choices]
