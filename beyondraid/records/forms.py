"""Forms of the staff pages of public-records requests.

They only parse input; their field names are the keyword arguments of the services they feed,
which decide again who may act and whether the lifecycle allows it.
"""

from django import forms
from django.utils import timezone

from beyondraid.accounts.forms_people import DATE_ERROR
from beyondraid.standard.forms_uswds import USWDSForm
from beyondraid.standard.models import Agency

from . import laws
from .models import STUDY_CATEGORIES, TRANSITIONS, Category, Channel, EventKind, RecordsRequest

_LAW_CHOICE_ERROR = "Choose the law from the list; the laws are: " + ", ".join(
    title for _, title in laws.choices()
)


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR, "required": f"Enter the date: {DATE_ERROR}"},
        **kwargs,
    )


# Fields the request form and the step form share (a request may be sent on filing or later, as
# a step): one definition each, so their messages and limits cannot drift apart.


def _channel_field(label: str, empty: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", empty), *Channel.choices],
        error_messages={"invalid_choice": "Choose the channel from the list."},
    )


def _tracking_number_field() -> forms.CharField:
    return forms.CharField(
        label="The agency's tracking number (optional)", max_length=100, required=False
    )


def _note_field(about: str, rows: int) -> forms.CharField:
    return forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=f"About {about}, never about a person.",
    )


def _step_choices(request: RecordsRequest) -> list[tuple[str, str]]:
    """The request's steps, latest first, for a form that attaches something to one of them."""
    return [(str(event.pk), str(event)) for event in request.events.order_by("-on", "-pk")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked as a single file would be."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _study_category_choices():
    return [(code, Category(code).label) for code in STUDY_CATEGORIES]


class RequestFilterForm(USWDSForm):
    """The filters of the list; every field may be left empty."""

    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Every agency",
        error_messages={"invalid_choice": "Choose the agency from the list."},
    )
    law = forms.ChoiceField(
        label="Law", required=False, error_messages={"invalid_choice": _LAW_CHOICE_ERROR}
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        error_messages={"invalid_choice": "Choose the status from the list."},
    )

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=requests.values("agency")
        ).order_by("name")
        self.fields["law"].choices = [("", "Every law"), *laws.choices()]
        self.fields["status"].choices = [
            ("", "Every status"),
            *RecordsRequest._meta.get_field("status").choices,
        ]


class RequestForm(USWDSForm):
    requester = forms.ModelChoiceField(
        label="Requesting organisation",
        queryset=Agency.objects.none(),
        empty_label=None,
        help_text="The organisation that sends the request.",
        error_messages={
            "required": "Choose the organisation that sends the request.",
            "invalid_choice": "Choose the requesting organisation from the list: you may file "
            "only for the organisations listed.",
        },
    )
    agency = forms.ModelChoiceField(
        label="Agency asked for records",
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose the agency",
        error_messages={
            "required": "Choose the agency the request is sent to.",
            "invalid_choice": "Choose the agency from the list.",
        },
    )
    law = forms.ChoiceField(
        label="Law",
        help_text="The public-records law the request is made under; it sets the deadlines.",
        error_messages={
            "required": "Choose the law the request is made under.",
            "invalid_choice": _LAW_CHOICE_ERROR,
        },
    )
    subject = forms.CharField(
        label="Subject",
        max_length=300,
        help_text="What the request is about, in a line: the operations or programme concerned. "
        "Never a person.",
        error_messages={"required": "Say in a line what the request is about."},
    )
    records_period = forms.CharField(
        label="Period the records cover (optional)",
        max_length=200,
        required=False,
        help_text="For example: 2003 to the present.",
    )
    categories = forms.MultipleChoiceField(
        label="Categories of records asked for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The five categories of the 2021 study.",
        error_messages={"invalid_choice": "Choose categories from the list."},
    )
    other_categories = forms.CharField(
        label="Other categories (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Categories of your own, one a line.",
    )
    sent_on = _date_field(
        "Date sent (optional)",
        required=False,
        help_text="Leave empty to keep the request as a draft; you record its sending later.",
    )
    channel = _channel_field("Channel (optional)", "Not said yet")
    tracking_number = _tracking_number_field()
    note = _note_field("the request", rows=3)

    def __init__(self, *args, requesters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = requesters.order_by("name")
        self.fields["law"].choices = [("", "Choose the law"), *laws.choices()]
        self.fields["categories"].choices = _study_category_choices()

    def clean_other_categories(self):
        return [line.strip() for line in self.cleaned_data["other_categories"].splitlines()]

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on and sent_on > timezone.localdate():
            raise forms.ValidationError(
                f"{sent_on.isoformat()} is in the future; leave the date empty to keep a draft."
            )
        return sent_on


class StepForm(USWDSForm):
    """The next step of a request, offered with only the steps its state allows."""

    kind = forms.ChoiceField(
        label="Step",
        error_messages={
            "required": "Choose the step to record.",
            "invalid_choice": "Choose one of the steps offered: the request's state allows "
            "only those.",
        },
    )
    on = _date_field("Date", initial=timezone.localdate)
    denial_reasons = forms.MultipleChoiceField(
        label="Exemptions or reasons the agency cited (for a denial)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the reasons from the law's list."},
    )
    extension_reason = forms.ChoiceField(
        label="Reason for the extension (for an extension)",
        required=False,
        error_messages={"invalid_choice": "Choose the reason from the law's list."},
    )
    agency_words = forms.CharField(
        label="The agency's own words (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the agency wrote, quoted as it wrote it.",
    )
    channel = _channel_field("Channel (for the sending; optional)", "Not said")
    tracking_number = _tracking_number_field()
    note = _note_field("this step", rows=2)
    correspondence = MultipleFileField(
        label="Letters of this step (optional)",
        required=False,
        help_text="The letter sent or received; stored with its SHA-256.",
    )

    def __init__(self, *args, request: RecordsRequest, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[request.status]
        self.fields["kind"].choices = [
            ("", "Choose the step"),
            *((value, label) for value, label in EventKind.choices if value in allowed),
        ]
        law = request.governing_law
        self.fields["denial_reasons"].choices = [
            (reason.code, reason.label) for reason in law.denial_reasons
        ]
        self.fields["extension_reason"].choices = [
            ("", "No extension"),
            *((reason.code, reason.label) for reason in law.extension_reasons),
        ]

    def service_arguments(self) -> dict:
        """The cleaned data as ``services.record_step`` takes it: the reasons that go with the
        step chosen (``kind``); the model then requires them and refuses stray ones."""
        data = dict(self.cleaned_data)
        denial = data.pop("denial_reasons")
        extension = data.pop("extension_reason")
        if data["kind"] == EventKind.DENIED:
            data["reasons"] = denial
        elif data["kind"] == EventKind.EXTENSION_CLAIMED:
            data["reasons"] = [extension] if extension else []
        else:
            data["reasons"] = [*denial, *([extension] if extension else [])]
        return data


class AttachForm(USWDSForm):
    event = forms.ChoiceField(
        label="Step the letters belong to",
        error_messages={
            "required": "Choose the step the letters belong to.",
            "invalid_choice": "Choose the step from the list.",
        },
    )
    files = MultipleFileField(
        label="Letters", error_messages={"required": "Choose at least one file to attach."}
    )

    def __init__(self, *args, request: RecordsRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = _step_choices(request)


class ReleaseForm(USWDSForm):
    files = MultipleFileField(
        label="Documents released",
        help_text="Each is stored with its SHA-256 under the latest release.",
        error_messages={"required": "Choose at least one document to store."},
    )


class CategoriesReceivedForm(USWDSForm):
    received = forms.MultipleChoiceField(
        label="Categories the released documents cover",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Those left unticked are marked not received.",
        error_messages={"invalid_choice": "Choose categories this request asked for."},
    )

    def __init__(self, *args, request: RecordsRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].choices = [
            (str(category.pk), str(category)) for category in request.categories.all()
        ]
        if not self.is_bound:
            self.initial["received"] = [
                str(category.pk) for category in request.categories.all() if category.received
            ]


class LetterForm(USWDSForm):
    text = forms.CharField(
        label="The letter",
        widget=forms.Textarea(attrs={"rows": 30}),
        strip=False,
        help_text="Edit it as you need; it is stored only if you attach it to a step.",
        error_messages={"required": "The letter is empty: write it, or reload the draft."},
    )
    event = forms.ChoiceField(
        label="Attach to the step",
        required=False,
        error_messages={"invalid_choice": "Choose the step from the list."},
    )

    def __init__(self, *args, request: RecordsRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = _step_choices(request)
