"""Forms of the immigration-relief pages: a request received, the agency's decision, the day a
Continued Presence document was handed to the person, and a request to renew a grant."""

from django import forms

from .models import ReliefRequest

_DATE = forms.DateInput(attrs={"type": "date", "class": "usa-input"})


class ReliefRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is asked", choices=ReliefRequest.Kind.choices, widget=forms.RadioSelect
    )
    requested_on = forms.DateField(
        label="Received on", widget=_DATE, help_text="The clock starts the day after."
    )
    in_removal_proceedings = forms.BooleanField(
        label="The person is in removal proceedings",
        required=False,
        help_text="Declarations are then due within 14 days instead of 90.",
    )


class ReliefDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Decision",
        choices=[
            (ReliefRequest.Status.GRANTED, "Granted (Continued Presence)"),
            (ReliefRequest.Status.SIGNED, "Signed (declaration or certification)"),
            (ReliefRequest.Status.DECLINED, "Declined"),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label="Decided on", widget=_DATE)
    decline_reason = forms.CharField(
        label="Reason for declining",
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
        help_text="Required when declining. About the decision only: never a name or a detail "
        "of the person.",
    )

    def __init__(self, *args, prefix_code: str = "", **kwargs):
        super().__init__(*args, prefix=f"decide-{prefix_code}" if prefix_code else None, **kwargs)


class HandOverForm(forms.Form):
    """The day a granted Continued Presence reached the person, on the page of its grant."""

    document_given_on = forms.DateField(
        label="Document handed over on",
        widget=_DATE,
        help_text="The day the person received the Continued Presence document.",
    )

    def __init__(self, *args, prefix_code: str, **kwargs):
        super().__init__(*args, prefix=f"handover-{prefix_code}", **kwargs)


class RenewalForm(forms.Form):
    """A request to renew a granted Continued Presence, received by the user's agency."""

    requested_on = forms.DateField(
        label="Renewal requested on",
        widget=_DATE,
        help_text="The day the agency received the request to renew; the decision clock starts "
        "the day after.",
    )

    def __init__(self, *args, prefix_code: str, **kwargs):
        super().__init__(*args, prefix=f"renew-{prefix_code}", **kwargs)
