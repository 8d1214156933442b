"""The analysts' indicator pages: thin — check who asks, read the query, call ``indicators``,
render.

The figures are live and not disclosure-checked, so only oversight analysts and administrators
read them (``permissions.may_read_indicators``) and the pages are never cached. A bad query (an
unknown level, a year that is not a number) comes back as a message on the page, with status 400.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.validators import RegexValidator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beyondraid.standard.forms_uswds import USWDSForm

from . import indicators
from .permissions import may_read_indicators

NO_ACCESS = "The live indicators are for oversight analysts and administrators."


class IndicatorQueryForm(USWDSForm):
    level = forms.ChoiceField(
        label="Show indicators by",
        choices=list(indicators.LEVELS.items()),
        required=False,
        error_messages={
            "invalid_choice": "There is no level “%(value)s”. Choose one of the levels in the list."
        },
    )
    year = forms.IntegerField(
        label="Year of the operations",
        help_text="The year an operation started, for example 2020.",
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": "Give the year as a number of four digits, for example 2020.",
            "min_value": "Give a year from 1900 to 2100.",
            "max_value": "Give a year from 1900 to 2100.",
        },
    )
    state = forms.CharField(
        label="State",
        help_text="Two-letter code, for example CA.",
        required=False,
        validators=[
            RegexValidator(
                r"^[A-Za-z]{2}$", "Give the state as its two-letter code, for example CA."
            )
        ],
    )

    def clean_level(self) -> str:
        return self.cleaned_data["level"] or "all"

    def clean_state(self) -> str | None:
        return self.cleaned_data["state"].upper() or None


def _no_access(request) -> HttpResponse:
    return render(request, "accounts/no_access.html", {"message": NO_ACCESS}, status=403)


@never_cache
@login_required
@require_GET
def indicator_table(request):
    if not may_read_indicators(request.user):
        return _no_access(request)
    form = IndicatorQueryForm(request.GET)
    if not form.is_valid():
        return render(request, "transparency/indicators/index.html", {"form": form}, status=400)
    query = form.cleaned_data
    scope = {"year": query["year"], "state": query["state"]}
    return render(
        request,
        "transparency/indicators/index.html",
        {
            "form": form,
            "level": query["level"],
            "level_label": indicators.LEVELS[query["level"]],
            "rows": indicators.compute(query["level"], **scope),
            "disparities": indicators.disparities(query["level"], **scope),
        },
    )


@never_cache
@login_required
@require_GET
def definition_list(request):
    if not may_read_indicators(request.user):
        return _no_access(request)
    return render(
        request,
        "transparency/indicators/definitions.html",
        {"indicators": indicators.INDICATORS},
    )


@never_cache
@login_required
@require_GET
def definition_detail(request, code: str):
    if not may_read_indicators(request.user):
        return _no_access(request)
    indicator = indicators.find_indicator(code)
    if indicator is None:
        raise Http404(f"There is no indicator with the code {code!r}.")
    return render(
        request, "transparency/indicators/definition_detail.html", {"indicator": indicator}
    )


@never_cache
@login_required
@require_GET
def completeness_table(request):
    if not may_read_indicators(request.user):
        return _no_access(request)
    return render(
        request,
        "transparency/indicators/completeness.html",
        {
            "agencies": indicators.completeness(),
            "core_fields": indicators.core_fields(),
            "threshold": indicators.COVERAGE_THRESHOLD,
        },
    )
