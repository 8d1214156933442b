"""Forms of the investigators' pages.

They only parse input. Each form's field names are the keyword arguments of the service it
feeds, and the services decide again who may do what and whether the report's state allows it.
"""

from django import forms
from django.utils import timezone

from beyondraid.accounts.forms_people import DATE_ERROR, USWDSForm
from beyondraid.standard.models import Agency, Operation

from . import selectors, services
from .models import Channel, FeedbackAnswer, MisconductType, Report


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR, "required": f"Enter the date: {DATE_ERROR}"},
        **kwargs,
    )


class UnlockForm(USWDSForm):
    passphrase = forms.CharField(
        label="Your oversight-key passphrase",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Type your passphrase."},
        help_text="Not your sign-in password: the passphrase that protects your copy of the key.",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ChannelFilterForm(USWDSForm):
    channel = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Reports and feedback"), *Channel.choices],
        error_messages={"invalid_choice": "Show: choose reports, feedback or both from the list."},
    )


class AcknowledgeForm(USWDSForm):
    on = _date_field("Acknowledged on", initial=timezone.localdate)


def _types_field(**kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Types of misconduct",
        choices=MisconductType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the report is about, as you read it: at least one. They are counted "
        "by agency and type; the reporter's own words are never read by the system.",
        error_messages={
            "required": "Choose at least one type of misconduct the report is about.",
            "invalid_choice": "Choose the types of misconduct from the list.",
        },
        **kwargs,
    )


def _answer_field(question: str) -> forms.ChoiceField:
    label = services.feedback_question(question)
    return forms.ChoiceField(
        label=label,
        choices=FeedbackAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Answer “{label}”: yes, no or not said.",
            "invalid_choice": f"Answer “{label}” with one of its choices.",
        },
    )


class TriageForm(USWDSForm):
    """Built for one report: a report of abuse by officers is about an agency with officers and
    gets its types; a feedback may concern any organisation, providers included, and gets the
    answers to its questions."""

    concerned_agency = forms.ModelChoiceField(
        label="Agency the report concerns",
        queryset=selectors.agencies_with_officers(),
        empty_label="Choose the agency",
        help_text="The agency whose officers the report names; choose the closest if unsure.",
        error_messages={
            "required": "Choose the agency the report concerns.",
            "invalid_choice": "Choose the agency from the list.",
        },
    )
    concerned_unit = forms.CharField(
        label="Unit (optional)",
        max_length=120,
        required=False,
        help_text="The unit the report names, if it names one, such as a vice squad.",
    )
    operation = forms.ChoiceField(
        label="Operation (optional)",
        required=False,
        help_text="Only operations the chosen agency took part in; they are listed by agency.",
        error_messages={"invalid_choice": "Choose the operation from the list."},
    )
    types = _types_field()
    rights_explained = _answer_field("rights_explained")
    free_to_leave = _answer_field("free_to_leave")
    without_judgement = _answer_field("without_judgement")
    help_needed = _answer_field("help_needed")
    complaint = forms.BooleanField(
        label="The feedback carries a complaint about the organisation",
        required=False,
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        concerned = self.fields["concerned_agency"]
        if report.channel == Channel.FEEDBACK:
            del self.fields["types"]
            concerned.queryset = Agency.objects.order_by("name")
            concerned.label = "Organisation the feedback concerns"
            concerned.empty_label = "Choose the organisation"
            concerned.help_text = (
                "Any organisation: a victim-service provider, a shelter or an agency. Choose "
                "the closest if unsure."
            )
            concerned.error_messages["required"] = "Choose the organisation the feedback concerns."
            concerned.error_messages["invalid_choice"] = "Choose the organisation from the list."
            self.fields["concerned_unit"].help_text = "The unit or site it names, if any."
        else:
            for name in (*services.FEEDBACK_QUESTIONS, "complaint"):
                del self.fields[name]
        self.fields["operation"].choices = [
            ("", "None, or not known"),
            *(
                (
                    agency.name,
                    [
                        (operation.code, f"{operation.code}: {operation}")
                        for operation in operations
                    ],
                )
                for agency, operations in selectors.operations_by_agency(concerned.queryset)
            ),
        ]

    def clean_operation(self) -> Operation | None:
        code = self.cleaned_data["operation"]
        return Operation.objects.get(code=code) if code else None


class CorrectTypesForm(USWDSForm):
    types = _types_field()


class _InvestigatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.get_username()} ({user.organisation})"


class AssignForm(USWDSForm):
    investigator = _InvestigatorChoice(
        label="Investigator",
        queryset=selectors.assignable_investigators(),
        empty_label="Choose an investigator",
        help_text="Never one who works for the agency the report concerns.",
        error_messages={
            "required": "Choose the investigator.",
            "invalid_choice": "Choose the investigator from the list.",
        },
    )


class StartForm(USWDSForm):
    """Starting the investigation needs nothing but the button."""


class AdjudicateForm(USWDSForm):
    finding = forms.ChoiceField(
        label="Finding",
        choices=[("", "Choose the finding"), *Report.Finding.choices],
        error_messages={
            "required": "Choose the finding.",
            "invalid_choice": "Choose the finding from the list.",
        },
    )
    on = _date_field("Decided on", initial=timezone.localdate)


class ActionForm(USWDSForm):
    action = forms.ChoiceField(
        label="Action",
        choices=[("", "Choose the action"), *Report.Action.choices],
        error_messages={
            "required": "Choose the action.",
            "invalid_choice": "Choose the action from the list.",
        },
    )
    on = _date_field("Decided on", initial=timezone.localdate)


class CloseForm(USWDSForm):
    on = _date_field("Closed on", initial=timezone.localdate)


class ExtendForm(USWDSForm):
    keep_until = _date_field("Keep until")
    reason = forms.CharField(
        label="Why it is kept longer",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the report is kept longer."},
    )


class MessageForm(USWDSForm):
    text = forms.CharField(
        label="Message to the reporter",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.MESSAGE_MAX_CHARACTERS,
        help_text="The reporter reads it with their receipt; nobody is notified.",
        error_messages={"required": "Write the message before sending it."},
    )
    is_feedback = forms.BooleanField(
        label="This is feedback on what was done",
        required=False,
        help_text="The first feedback stops the three-month feedback clock.",
    )
