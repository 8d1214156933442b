"""Forms of the victim-service pages.

They only parse what was typed; every rule (consent, override, who may act, dates in order) is
decided by ``services``, whose refusals the views put back on the field they name. Fields the
services check themselves are optional here, so that a person sees the service's own words
rather than a generic "This field is required". Dates are asked for, pre-filled with today,
because a service given none would take today without anyone having said so.
"""

from django import forms
from django.utils import timezone

from beyondraid.standard.forms_linkage import identifier_field
from beyondraid.standard.forms_uswds import USWDSForm
from beyondraid.standard.models import Agency, Statute
from beyondraid.standard.vocabulary import vocabulary

from .models import DirectoryList, ProviderProfile, WalkIn, listable_choices

DATE_ERROR = "Enter a date as year-month-day, for example 2026-03-31."
CHOOSE_FROM_LIST = "Choose one of the options in the list."


def _date(label: str, *, required: bool = True, today: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=timezone.localdate if today else None,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR, "required": "Enter the date, as year-month-day."},
        **kwargs,
    )


def _ticks(label: str, choices, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
        **kwargs,
    )


def _any(label: str, choices, anything: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", anything), *choices],
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )


def _answer(label: str, vocabulary_name: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=vocabulary(vocabulary_name).choices,
        initial="unknown",
        error_messages={
            "required": f"Choose an answer for '{label}' ('Unknown' if nobody knows).",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )


# --- The provider directory ---------------------------------------------------------------------


class DirectorySearchForm(USWDSForm):
    service = _any("Service", listable_choices(DirectoryList.SERVICES), "Any service")
    language = _any("Language", listable_choices(DirectoryList.LANGUAGES), "Any language")
    age_group = _any("Age group", vocabulary("age_group").choices, "Any age group")
    gender_identity = _any(
        "Gender identity", listable_choices(DirectoryList.GENDER_IDENTITIES), "Any gender identity"
    )
    foreign_national = forms.BooleanField(
        label="Serves foreign nationals", required=False, help_text="Documented or not."
    )
    county = _any("County served", listable_choices(DirectoryList.COUNTIES), "Any county")


def _asks(label: str, help_text: str) -> forms.TypedChoiceField:
    """A yes-or-no question the provider may leave unanswered until it lists itself publicly
    (the entry's ``clean`` then asks for the answer)."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        choices=[("False", "No"), ("True", "Yes")],
        coerce=lambda value: value == "True",
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )


def _text(label: str, max_length: int, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "max_length": f"{label}: at most {max_length} characters; this has %(show_value)d."
        },
    )


class ProviderProfileForm(USWDSForm):
    services = _ticks("Services offered", listable_choices(DirectoryList.SERVICES))
    languages = _ticks("Languages spoken", listable_choices(DirectoryList.LANGUAGES))
    gender_identities = _ticks(
        "Gender identities served", listable_choices(DirectoryList.GENDER_IDENTITIES)
    )
    age_groups = _ticks(
        "Age groups served",
        listable_choices(DirectoryList.AGE_GROUPS),
        help_text="Tick the bands under 18 only if you serve minors.",
    )
    serves_foreign_nationals = forms.BooleanField(
        label="We serve foreign nationals, documented or not", required=False
    )
    answers_any_hour = forms.BooleanField(
        label="We answer a referral at any hour of the day or night", required=False
    )
    trafficking_shelter_places = forms.IntegerField(
        label="Places in a trafficking-specific shelter",
        min_value=0,
        initial=0,
        help_text="0 if you run no such shelter.",
        error_messages={
            "invalid": "Enter a whole number, such as 6.",
            "required": "Enter the number of places; 0 if you run no such shelter.",
            "min_value": "The number of places cannot be below 0.",
        },
    )
    capacity = forms.ChoiceField(
        label="Can you take someone new now?",
        choices=vocabulary("provider_capacity").choices,
        widget=forms.RadioSelect,
        initial="open",
        error_messages={
            "required": "Say whether you can take someone new now.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    # The public directory (/help/): what a person looking for help reads about the provider.
    listed_publicly = forms.BooleanField(
        label="List us on the public directory of where help is",
        required=False,
        help_text="Anyone can read it without signing in, in English and Spanish. It shows your "
        "services, languages, the people and counties you serve, what you ask for and how to "
        "reach you; never your capacity, your shelter places or who updated this entry.",
    )
    counties = _ticks(
        "Counties served",
        listable_choices(DirectoryList.COUNTIES),
        help_text="Needed for the public directory, where people look for help near them.",
    )
    requires_id = _asks(
        "Do you ask for an ID before helping someone?",
        "You should not: traffickers often keep people's papers. The public directory lists "
        "providers that ask for neither an ID nor a police report first, and marks the others.",
    )
    requires_police_report = _asks(
        "Do you ask for a police report before helping someone?",
        "You should not: help never depends on going to the police.",
    )
    contact_phone = _text(
        "Phone or text line",
        30,
        "Your organisation's line, answered safely, with its area code, such as "
        "(510) 555-0142; never a person's own number.",
    )
    contact_texts = forms.BooleanField(label="The line takes text messages", required=False)
    contact_hours = _text(
        "When you answer", 120, "Such as '24 hours, every day' or 'Monday to Friday, 9 am to 5 pm'."
    )
    walk_in = forms.ChoiceField(
        label="Can people come in person?",
        choices=[
            (WalkIn.ADDRESS, "Yes, at the walk-in address below"),
            (WalkIn.ON_CONTACT, "Address given on contact: the place must stay confidential"),
            (WalkIn.NONE, "No: people reach us by phone or text"),
        ],
        widget=forms.RadioSelect,
        initial=WalkIn.NONE,
        error_messages={
            "required": "Say whether people can come in person.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    walk_in_address = _text(
        "Walk-in address",
        200,
        "A public office or drop-in centre. Never a shelter whose location is kept "
        "confidential: choose 'Address given on contact' for it.",
    )

    @classmethod
    def initial_from(cls, profile: ProviderProfile | None) -> dict:
        if profile is None:
            return {}
        return {name: getattr(profile, name) for name in cls.base_fields}


# --- Referring a person -------------------------------------------------------------------------

CONSENT, OVERRIDE = "consent", "override"


class ReferralForm(USWDSForm):
    provider = forms.ChoiceField(
        label="Provider",
        error_messages={
            "required": "Choose the provider to refer the person to.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    services = _ticks("Services to refer the person for", listable_choices(DirectoryList.SERVICES))
    sent_on = _date("Sent on")
    basis = forms.ChoiceField(
        label="Consent to share",
        choices=[
            (CONSENT, "The person consented to share their information with the provider"),
            (OVERRIDE, "No consent: override (your agency's administrator only)"),
        ],
        initial=CONSENT,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    consent_given_on = _date(
        "Consent given on", required=False, today=False, help_text="The day the person agreed."
    )
    consent_organisation = forms.BooleanField(
        label="The consent covers the provider chosen above",
        required=False,
        help_text="Consent is given to one organisation: ask again for another provider.",
    )
    consent_scope = _ticks(
        "What the person agreed to share",
        vocabulary("consent_scope").choices,
        initial=list(vocabulary("consent_scope").codes_where("required", True)),
        help_text="The referral itself is always shared; tick anything else the person agreed to.",
    )
    override_reason = forms.CharField(
        label="Why the referral cannot wait for the person's consent",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="At least 8 words, about the decision, never about the person. The override is "
        "recorded in the audit log with your name.",
    )

    def __init__(self, *args, matching, others, **kwargs):
        """``matching`` and ``others``: directory entries that meet the person's recorded needs
        and those that do not, offered in two groups."""
        super().__init__(*args, **kwargs)
        self._providers = {str(entry.provider_id): entry.provider for entry in [*matching, *others]}
        groups = [
            ("Meet this person's recorded needs", matching),
            ("Other providers in the directory", others),
        ]
        self.fields["provider"].choices = [("", "Choose a provider")] + [
            (title, [(str(entry.provider_id), _provider_label(entry)) for entry in entries])
            for title, entries in groups
            if entries
        ]

    def clean_provider(self) -> Agency:
        return self._providers[self.cleaned_data["provider"]]

    def clean(self):
        data = super().clean()
        if data.get("basis") == OVERRIDE and not data.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                "Write why the referral cannot wait for the person's consent, or choose that "
                "the person consented.",
            )
        return data

    def consent(self) -> dict:
        """The consent, or the override, as ``services.send_referral`` takes it."""
        data = self.cleaned_data
        if data["basis"] == OVERRIDE:
            return {"override_reason": data["override_reason"]}
        return {
            "consent_given_on": data["consent_given_on"],
            "consent_organisation": data["provider"] if data["consent_organisation"] else None,
            "consent_scope": data["consent_scope"],
        }


def _provider_label(entry: ProviderProfile) -> str:
    capacity = vocabulary("provider_capacity").label(entry.capacity).lower()
    return f"{entry.provider.name} ({capacity})"


class ProviderServiceForm(USWDSForm):
    """Narrows the providers shown for a person to those offering one service."""

    service = _any("Service needed", listable_choices(DirectoryList.SERVICES), "Any service")


# --- The provider's answer and follow-through ---------------------------------------------------
# These forms share the referral's page: each has its own prefix, so their fields' ids differ.


class AcceptForm(USWDSForm):
    prefix = "accept"

    accepted_on = _date("Accepted on")


class DeclineForm(USWDSForm):
    prefix = "decline"

    decline_reason = forms.ChoiceField(
        label="Why you decline",
        choices=vocabulary("decline_reason").choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say why the referral is declined.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    decline_explanation = forms.CharField(
        label="Explanation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the reason is 'Other reason': a few words about your decision, "
        "never about the person.",
    )
    declined_on = _date("Declined on")


class StartForm(USWDSForm):
    prefix = "start"

    services_started_on = _date("Services started on")


class CloseForm(USWDSForm):
    prefix = "close"

    closed_on = _date("Closed on")


class DeliveryForm(USWDSForm):
    prefix = "delivery"

    service_type = forms.ChoiceField(
        label="Service delivered",
        error_messages={
            "required": "Choose the service you delivered.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    delivered_on = _date("Delivered on")

    def __init__(self, *args, services: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        catalogue = vocabulary("service_type")
        self.fields["service_type"].choices = [("", "Choose a service")] + [
            (code, catalogue.label(code)) for code in services
        ]


class FollowUpForm(USWDSForm):
    prefix = "follow_up"

    due_on = _date("Due on", today=False)
    done_on = _date(
        "Done on", required=False, today=False, help_text="Leave empty if it is not done yet."
    )
    reached = _any("Was the person reached?", vocabulary("yes_no_unknown").choices, "Not done yet")
    still_receiving_services = _answer("Still receiving services", "yes_no_unknown")
    re_trafficking = _answer("Re-trafficked since", "re_trafficking")
    deported = _answer("Deported since", "yes_no_unknown")
    prosecuted = _answer("Prosecuted since", "yes_no_unknown")
    prosecuted_for = forms.ModelMultipleChoiceField(
        label="Prosecuted for",
        queryset=Statute.objects.order_by("citation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if the person was prosecuted.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST, "invalid_pk_value": CHOOSE_FROM_LIST},
    )


# --- A person identified outside any operation --------------------------------------------------


def _coded(label: str, vocabulary_name: str, initial: str, *, codes=None, **kwargs):
    vocab = vocabulary(vocabulary_name)
    return forms.ChoiceField(
        label=label,
        choices=[(code, vocab.label(code)) for code in (codes or vocab.codes)],
        initial=initial,
        error_messages={
            "required": f"Choose an answer for '{label}'.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
        **kwargs,
    )


class IdentificationForm(USWDSForm):
    """A person the user's organisation identified, or who came to it, outside any operation:
    how, when, and the coded facts of the person; never a name or a description."""

    identified_on = _date(
        "Identified on", help_text="The day the person was identified or came to you."
    )
    identification_pathway = forms.ChoiceField(
        label="How the person was identified or came forward",
        choices=[("", "Choose one")]
        + [
            (term.code, term.label)
            for term in vocabulary("identification_pathway").terms
            if not term.attributes.get("through_operation")
        ],
        help_text="A person met in a law-enforcement operation is recorded with the operation.",
        error_messages={
            "required": "Say how the person was identified or came forward.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    referring_organisation = forms.ModelChoiceField(
        label="Referring organisation",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="None, or not in the register",
        help_text="The organisation that sent the person to you, if it is in the register. "
        "Nobody refers a person who came on their own or was brought by another survivor.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    work_sector = _coded(
        "Sector of the work the person was in",
        "work_sector",
        "not_recorded",
        help_text="Where they worked or were exploited; 'Not recorded' if they did not say.",
    )
    trafficking_form = _coded(
        "Form of trafficking alleged",
        "trafficking_form",
        "not_recorded",
        help_text="What is alleged, not what is proven.",
    )
    role = _coded(
        "Role",
        "role",
        "suspected_victim",
        codes=("suspected_victim", "confirmed_victim", "adult_in_commercial_sex", "unknown"),
    )
    role_basis = _coded("Basis of the role", "role_basis", "self_identified")
    age_group = _coded("Age group", "age_group", "unknown", help_text="Never a birth date.")
    age_determination = _coded("How the age was determined", "age_determination", "not_recorded")
    gender_identity = _coded(
        "Gender identity", "gender_identity", "not_recorded", help_text="As the person states it."
    )
    race_ethnicity = _ticks(
        "Race and ethnicity",
        vocabulary("race_ethnicity").choices,
        initial=["not_recorded"],
        help_text="Several may be ticked; 'Not recorded' alone.",
    )
    citizenship_status = _coded(
        "Citizenship or immigration status", "citizenship_status", "unknown"
    )
    primary_language = _coded("Primary language", "language", "unknown")
    interpreter = _coded("Interpreter", "interpreter", "unknown")
    link_identifier = identifier_field(
        "Booking or case number, to link this person's other contacts (hashed, never stored)",
        required=False,
    )

    FIELDSETS = (
        (
            "How the person came to you",
            (
                "identified_on",
                "identification_pathway",
                "referring_organisation",
                "work_sector",
                "trafficking_form",
                "role",
                "role_basis",
            ),
        ),
        (
            "About the person",
            (
                "age_group",
                "age_determination",
                "gender_identity",
                "race_ethnicity",
                "citizenship_status",
                "primary_language",
                "interpreter",
            ),
        ),
        ("The person's other contacts", ("link_identifier",)),
    )

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]


# --- The cooperation parity report --------------------------------------------------------------


class ParityForm(USWDSForm):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(participations__isnull=False).distinct().order_by("name"),
        required=False,
        empty_label="All agencies",
        error_messages={"invalid_choice": "Choose an agency from the list."},
    )
