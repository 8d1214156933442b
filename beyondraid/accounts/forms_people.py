"""Forms of the user-management and audit-log pages.

They only parse input; what a manager may choose is asked of ``selectors``, and the services
check it again.
"""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError

from beyondraid.standard.forms_uswds import USWDSForm
from beyondraid.standard.models import Agency
from beyondraid.standard.vocabulary import vocabulary

from . import selectors
from .models import AuditEntry

DATE_ERROR = "Enter a date as year-month-day, for example 2025-03-31."


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class ChoosePasswordForm(USWDSForm, SetPasswordForm):
    """Django's form for choosing a password, with the password validators of the settings."""


class UserFilterForm(USWDSForm):
    organisation = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, empty_label="All organisations"
    )
    active = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active and deactivated"), ("yes", "Active"), ("no", "Deactivated")],
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.manageable_organisations(manager)

    def clean_active(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["active"])


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=(),
        help_text=(
            "What the person does in the system. It takes effect once another administrator "
            "of your organisation confirms it."
        ),
        error_messages={"invalid_choice": "Choose a role from the list."},
    )


def _organisation_admin_field() -> forms.BooleanField:
    return forms.BooleanField(
        required=False,
        label="Organisation admin: may invite and deactivate the users of their organisation",
    )


def _offer_roles(form: forms.Form, manager) -> None:
    """Offer the roles ``manager`` may give, and the organisation-admin tick-box only to those
    who may appoint organisation admins."""
    form.fields["role"].choices = [("", "Choose a role"), *selectors.assignable_roles(manager)]
    if not selectors.may_appoint_organisation_admins(manager):
        del form.fields["is_organisation_admin"]


class InviteForm(USWDSForm):
    username = forms.CharField(
        max_length=150,
        help_text="What the person types to sign in: letters, digits and @ . + - _ only.",
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="Email address", max_length=254)
    organisation = forms.ModelChoiceField(
        queryset=Agency.objects.none(), empty_label="Choose an organisation"
    )
    role = _role_field()
    is_organisation_admin = _organisation_admin_field()

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        organisation.queryset = selectors.manageable_organisations(manager)
        if not selectors.is_administrator(manager):
            # An organisation admin invites only into their own organisation.
            organisation.initial = manager.organisation_id
            organisation.disabled = True
            organisation.help_text = "You can invite people only to your own organisation."
        _offer_roles(self, manager)


class RoleForm(USWDSForm):
    """The role a manager asks to give to an existing account."""

    role = _role_field()
    is_organisation_admin = _organisation_admin_field()

    def __init__(self, *args, manager, person, **kwargs):
        kwargs.setdefault(
            "initial", {"role": person.role, "is_organisation_admin": person.is_organisation_admin}
        )
        super().__init__(*args, prefix="role", **kwargs)
        _offer_roles(self, manager)


class ConfirmForm(USWDSForm):
    """A required tick-box that confirms an action which cannot be taken back by mistake."""

    confirm = forms.BooleanField(
        error_messages={"required": "Tick the box to confirm, or leave the page to cancel."}
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label


class OrganisationForm(USWDSForm):
    name = forms.CharField(max_length=200, help_text="The organisation's full name.")
    kind = forms.ChoiceField(label="Kind of organisation", choices=())
    state = forms.CharField(
        max_length=2,
        required=False,
        help_text="Two-letter code such as CA; leave empty for a federal agency.",
    )
    county = forms.CharField(max_length=100, required=False, help_text="If local.")
    city = forms.CharField(max_length=100, required=False, help_text="If local.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a kind"), *vocabulary("agency_kind").choices]

    def clean_state(self) -> str:
        return self.cleaned_data["state"].strip().upper()


class AuditFilterForm(USWDSForm):
    username = forms.CharField(label="User (username)", max_length=150, required=False)
    object_type = forms.ChoiceField(
        label="Type of record",
        required=False,
        error_messages={"invalid_choice": "Choose a type of record from the list."},
    )
    object = forms.CharField(
        label="Record id or code",
        max_length=200,
        required=False,
        help_text=(
            "The number of a record, or its code or name, or a part of it. The code of a person, "
            "or of a referral or other record about them, finds every entry about that person "
            "if you may read their record."
        ),
    )
    action = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "Anything"), *AuditEntry.Action.choices],
        error_messages={"invalid_choice": "Choose what happened from the list."},
    )
    date_from = forms.DateField(
        label="From (date)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR},
    )
    date_to = forms.DateField(
        label="To (date, included)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any"), *selectors.audit_object_types()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def filters(self) -> selectors.AuditFilters:
        data = self.cleaned_data
        return selectors.AuditFilters(
            username=data["username"].strip(),
            object_type=data["object_type"],
            object=data["object"].strip(),
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
