"""The forms of signing in: password, then a code of the authenticator app."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm

SIGN_IN_REFUSED = (
    "That username and password do not match. "
    "After 5 wrong tries the account is locked for 15 minutes."
)


class SignInForm(AuthenticationForm):
    """Django's form, which passes the request to ``authenticate`` so that django-axes counts the
    attempt. The one message for every refusal never tells whether the username exists."""

    error_messages = {"invalid_login": SIGN_IN_REFUSED, "inactive": SIGN_IN_REFUSED}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "usa-input", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"class": "usa-input"})


class CodeForm(forms.Form):
    """One code, typed from the authenticator app or, except while setting the app up, from the
    list of recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        error_messages={"required": "Enter the code."},
        widget=forms.TextInput(
            attrs={
                "class": "usa-input usa-input--medium",
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, set_up: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        if set_up:
            code.help_text = "The 6 digits the app shows for Beyond the Raid."
            # Only digits are possible here: phones show a number pad.
            code.widget.attrs["inputmode"] = "numeric"
        else:
            code.help_text = (
                "The 6 digits the app shows for Beyond the Raid. Lost your phone? Enter one of "
                "your recovery codes instead; each works once."
            )
        self.set_up = set_up

    def clean_code(self):
        code = self.cleaned_data["code"]
        # While setting up, a mistyped code is answered here, without counting as a wrong code.
        if self.set_up and not re.fullmatch(r"[0-9]{6}", re.sub(r"[\s-]", "", code)):
            raise forms.ValidationError("Enter the 6 digits the app shows, such as 123456.")
        return code
