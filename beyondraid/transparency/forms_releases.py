import datetime

from django import forms

from beyondraid.core import disclosure, noise
from beyondraid.standard.models import Agency

from .models import Release
from .releases import NAME, STATE


class CreateReleaseForm(forms.Form):
    name = forms.CharField(
        max_length=60,
        help_text="Lower-case letters, digits and hyphens, e.g. california-2024. Creating a "
        "name again makes its next version.",
    )
    title = forms.CharField(max_length=200, required=False, help_text="Shown on public pages.")
    first_year = forms.IntegerField(min_value=1900, max_value=2999, initial=2017)
    last_year = forms.IntegerField(
        min_value=1900, max_value=2999, initial=lambda: datetime.date.today().year
    )
    scope = forms.ChoiceField(choices=Release.Scope.choices, initial=Release.Scope.ALL)
    state = forms.CharField(
        max_length=2, required=False, help_text="For a state release: two letters, e.g. CA."
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text="For an agency release: its operations as lead agency.",
    )
    method = forms.ChoiceField(
        label="How people are protected",
        choices=[
            (disclosure.OPTIMAL, "Suppression of small counts, hiding as little as possible"),
            (disclosure.HEURISTIC, "Suppression of small counts, chosen by a quicker heuristic"),
            (noise.METHOD, "Differential privacy: noise on every count, with its interval"),
        ],
        initial=disclosure.OPTIMAL,
        # A form sent without it (by a script, say) gets the default, as the command does.
        required=False,
        help_text="Suppression shows exact figures and blanks small ones; differential privacy "
        "shows every figure, each with noise and a 95 % interval (see the methodology).",
    )
    epsilon = forms.FloatField(
        label="Privacy budget (ε)",
        required=False,
        error_messages={"invalid": "Give the privacy budget as a number, such as 1 or 0.5."},
        help_text="Differential privacy only: a positive number such as 1. Smaller hides people "
        "better and adds more noise.",
    )
    threshold = forms.IntegerField(
        min_value=1,
        initial=disclosure.DEFAULT_THRESHOLD,
        help_text="Counts from 1 to this are suppressed.",
    )
    protection_width = forms.IntegerField(
        min_value=1,
        initial=disclosure.DEFAULT_PROTECTION_WIDTH,
        help_text="Every suppressed figure must stay uncertain over at least this range.",
    )
    unstable_below = forms.IntegerField(
        min_value=1,
        initial=disclosure.DEFAULT_UNSTABLE_BELOW,
        help_text="Rates with a smaller denominator are marked unstable.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not NAME.match(name):
            raise forms.ValidationError(
                "Use lower-case letters, digits and hyphens, starting with a letter or digit."
            )
        return name

    def clean_state(self):
        return self.cleaned_data["state"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", "The last year comes before the first.")
        scope = cleaned.get("scope")
        if scope == Release.Scope.STATE and not STATE.match(cleaned.get("state") or ""):
            self.add_error("state", "A state release needs a two-letter state code, e.g. CA.")
        if scope == Release.Scope.AGENCY and not cleaned.get("agency"):
            self.add_error("agency", "An agency release needs its agency.")
        cleaned["method"] = cleaned.get("method") or disclosure.OPTIMAL
        epsilon = cleaned.get("epsilon")
        if cleaned["method"] == noise.METHOD:
            if epsilon is None and "epsilon" not in self.errors:
                self.add_error(
                    "epsilon",
                    "Differential privacy needs its privacy budget: a positive number such as 1.",
                )
            elif epsilon is not None and epsilon <= 0:
                self.add_error(
                    "epsilon", "The privacy budget must be a positive number, such as 1."
                )
        elif epsilon is not None:
            self.add_error(
                "epsilon",
                "Only differential privacy takes a privacy budget: choose it above, or leave this "
                "empty.",
            )
        return cleaned
