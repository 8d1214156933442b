"""Records administration: where a data steward enters an operation end to end.

The admin writes through model forms, which run ``full_clean``, so the rules of the models apply
here as everywhere else. Around them this module adds only what a web form needs:

- provenance: a record created here is marked as entered by the signed-in person through a form;
- non-punishment alerts are refreshed after an encounter or any of its records is saved, exactly
  as the services do after every write;
- rules that span several rows of one page (one lead agency, allocations within the funding) are
  checked on the page, so that a mistake gets a message instead of a database error;
- who may see and change what is asked of ``access``, the rules every other page follows, never
  of Django's per-model permissions; a record out of a user's reach does not exist for them (404).

Records that hang on an encounter or on a funding source are entered on the parent's page once
the parent is saved. Their model checks compare them with the parent (dates not before the
encounter, a minor never an adult in commercial sex, allocations within the amount), and those
checks can only run against a parent that is already in the database.
"""

from functools import cache

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

from . import access, services
from .catalogue import SHIPPED_STATUTES, read_statutes
from .models import (
    Agency,
    AggregateFigure,
    Charge,
    CooperationRecord,
    Encounter,
    FollowUp,
    FundingAllocation,
    FundingSource,
    NonPunishmentAlert,
    Operation,
    OperationParticipant,
    OperationPlace,
    RoleAssessment,
    ServiceOffer,
    Statute,
    TreatmentEvent,
)
from .person_level import mark_shown
from .selectors import with_current_role
from .vocabulary import vocabulary

PROVENANCE_FIELDS = ("entered_by", "source", "source_reference", "created_at", "updated_at")


def _mark_as_entered_here(record, request) -> None:
    if record._state.adding:
        record.entered_by = request.user
        record.source = "form"


class FollowsAccessRules:
    """Admin permissions from the access rules. Subclasses say who may look (``viewers``), who may
    add (``adders``), which records a user reaches (``scope``) and which they may change
    (``may_change``). Nothing is deleted through the admin: records of operations and of what
    happened to people are corrected, never removed."""

    viewers: frozenset[str] = frozenset()
    adders: frozenset[str] = frozenset()

    def scope(self, request, queryset):
        return queryset

    def may_change(self, request, obj) -> bool:
        return access.role_of(request.user) in self.adders

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if access.role_of(request.user) not in self.viewers:
            return queryset.none()
        return self.scope(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such record.")
        return obj

    def has_module_permission(self, request):
        return access.role_of(request.user) in self.viewers

    def has_view_permission(self, request, obj=None):
        return access.role_of(request.user) in self.viewers

    def has_add_permission(self, request):
        return access.role_of(request.user) in self.adders

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.role_of(request.user) in self.adders
        return self.may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


ALL_STAFF = frozenset(vocabulary("staff_role").codes)
OPERATION_READERS = frozenset({access.STEWARD, access.PROSECUTOR, access.ANALYST})
STEWARDS = frozenset({access.STEWARD})


class ShowsPersonLevel:
    """For admins whose pages show person-level records: every record a list or a page shows is
    marked, so each read is audited and no cache keeps the page, as on every other page."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            mark_shown(request, *changelist.result_list)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if original is not None:
            mark_shown(request, original)
        return response


class RecordedAdmin(FollowsAccessRules, admin.ModelAdmin):
    """For the models that carry provenance. Subclasses list their ``fields``; provenance is
    shown read-only, after them, once the record exists."""

    add_description = ""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A code is drawn when the record is first saved; the add page has none to show.
        return fields if obj is not None else [name for name in fields if name != "code"]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *PROVENANCE_FIELDS)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": self.get_fields(request), "description": self.add_description})
            ]
        return [
            *super().get_fieldsets(request, obj),
            ("Provenance", {"fields": PROVENANCE_FIELDS, "classes": ["collapse"]}),
        ]

    def save_model(self, request, obj, form, change):
        _mark_as_entered_here(obj, request)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        records = formset.save(commit=False)
        # Deletions first, so that a row replaced on the same page (a new lead agency for the old
        # one) does not collide with the row it replaces.
        for record in formset.deleted_objects:
            record.delete()
        for record in records:
            _mark_as_entered_here(record, request)
            record.save()
        formset.save_m2m()


class ShowsDataOrigin:
    """Puts the origin of the data in the title of a synthetic or published-aggregate record, so
    that nobody mistakes it for what an agency recorded. Operations and people carry their
    origin (a person met in an operation has the operation's)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and obj.data_origin != "recorded":
            action = "Change" if self.has_change_permission(request, obj) else "View"
            origin = obj.get_data_origin_display()
            extra_context = {
                **(extra_context or {}),
                "title": f"{origin} data: {action.lower()} {self.opts.verbose_name}",
            }
        return super().change_view(request, object_id, form_url, extra_context)


class RecordsAfterParent:
    """Shows the inlines only once the parent is saved, and takes the steward straight there."""

    after_add_message = ""

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            f"The {self.opts.verbose_name} “{obj}” was added. {self.after_add_message}",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Agencies and statutes


class AgencyForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        try:
            services.check_member_agencies(
                kind=cleaned.get("kind"), member_agencies=cleaned.get("member_agencies")
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Agency)
class AgencyAdmin(RecordedAdmin):
    viewers = ALL_STAFF
    adders = frozenset({access.ADMINISTRATOR})
    form = AgencyForm
    fields = (
        "name",
        "kind",
        "state",
        "county",
        "city",
        "population_served",
        "linkage_group",
        "member_agencies",
    )
    filter_horizontal = ("member_agencies",)
    list_display = ("name", "kind", "state", "county", "city")
    list_filter = ("kind", "state")
    search_fields = ("name", "county", "city")


@cache
def _shipped_statute_codes() -> frozenset[str]:
    return frozenset(entry["code"] for entry in read_statutes(SHIPPED_STATUTES))


@admin.register(Statute)
class StatuteAdmin(FollowsAccessRules, admin.ModelAdmin):
    """The shipped catalogue is rewritten from its file after every migration, so its entries are
    shown read-only; administrators add and correct a state's own statutes here."""

    viewers = ALL_STAFF
    adders = frozenset({access.ADMINISTRATOR})

    fields = ("code", "jurisdiction", "citation", "title", "category", "level", "source")
    list_display = ("citation", "title", "category", "level", "jurisdiction")
    list_filter = ("category", "level", "jurisdiction")
    search_fields = ("citation", "title", "code")

    def get_readonly_fields(self, request, obj=None):
        # Exchange files and releases refer to a statute by its code.
        return ("code",) if obj is not None else ()

    def may_change(self, request, obj) -> bool:
        return obj.code not in _shipped_statute_codes() and super().may_change(request, obj)


# Operations


class ParticipantFormSet(forms.BaseInlineFormSet):
    organisation_id: int | None = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # The database allows at most one lead; "exactly one" needs every row of the page.
        leads = sum(
            1
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and form.cleaned_data.get("part") == "lead"
        )
        if leads != 1:
            lead = vocabulary("participation_part").label("lead")
            raise ValidationError(
                f"An operation has exactly one lead agency: mark one agency as “{lead}” "
                f"({leads} marked now)."
            )
        agencies = {
            form.cleaned_data["agency"].pk
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        }
        if self.organisation_id not in agencies:
            # A steward who left their own agency out would lose sight of the operation at once.
            raise ValidationError(
                "Your own agency must take part in the operation: add it as the lead or with "
                "another part."
            )


class PartOfOperationInline:
    """Agencies and places of an operation are edited by whoever may edit the operation."""

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return access.role_of(request.user) == access.STEWARD
        return access.can_edit_operation(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)


class ParticipantInline(PartOfOperationInline, admin.TabularInline):
    model = OperationParticipant
    formset = ParticipantFormSet
    fields = ("agency", "part")
    min_num = 1
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.organisation_id = request.user.organisation_id
        return formset


class PlaceInline(PartOfOperationInline, admin.TabularInline):
    model = OperationPlace
    fields = ("venue_type", "state", "county", "city")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "state":
            kwargs["widget"] = forms.TextInput(attrs={"size": 2})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.places.exists() else 1


class AggregateFigureInline(ReadOnlyInline):
    """Figures come from imports of published tables, each with its citation."""

    model = AggregateFigure
    fields = ("measure", "printed_label", "printed_value", "value", "citation", "source_reference")


class OperationForm(forms.ModelForm):
    sector_focus = forms.MultipleChoiceField(
        label="Sector focus",
        choices=vocabulary("work_sector").choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The sectors of work the operation targets; none ticked when not stated.",
    )


@admin.register(Operation)
class OperationAdmin(ShowsDataOrigin, RecordedAdmin):
    viewers = OPERATION_READERS
    adders = STEWARDS
    add_description = (
        "Enter the operation as planned and the agencies that took part: exactly one lead agency. "
        "Records entered here are recorded data; synthetic and published figures arrive by import."
    )
    fields = (
        "code",
        "data_origin",
        "name",
        "initiative",
        "operation_type",
        "trigger",
        "start_date",
        "end_date",
        "stated_objective",
        "sector_focus",
    )
    form = OperationForm
    readonly_fields = ("code", "data_origin")
    inlines = (ParticipantInline, PlaceInline, AggregateFigureInline)
    # The origin comes right after the name, where a narrow screen still shows it.
    list_display = (
        "name",
        "data_origin",
        "operation_type",
        "initiative",
        "start_date",
        "end_date",
        "lead_agency",
    )
    list_filter = ("data_origin", "initiative", "operation_type", "trigger")
    date_hierarchy = "start_date"
    search_fields = ("name", "code", "participants__agency__name")

    def scope(self, request, queryset):
        return queryset.filter(pk__in=access.operations_for(request.user).values("pk"))

    def may_change(self, request, obj) -> bool:
        return access.can_edit_operation(request.user, obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "participants", queryset=OperationParticipant.objects.select_related("agency")
                )
            )
        )

    def get_inlines(self, request, obj):
        if obj is None or not obj.aggregate_figures.exists():
            return [inline for inline in self.inlines if inline is not AggregateFigureInline]
        return self.inlines

    @admin.display(description="Lead agency")
    def lead_agency(self, operation):
        return operation.lead_agency or "—"


# Encounters


class StewardRecordsInline:
    """What happened to a person is recorded by the stewards of the operation; everyone else who
    reaches the encounter reads it."""

    def _may_record(self, request, obj) -> bool:
        return obj is not None and access.can_record_encounter_details(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj):
        return self._may_record(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_record(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssessmentInline(StewardRecordsInline, admin.TabularInline):
    model = RoleAssessment
    fields = ("role", "basis", "stage", "assessed_on")
    # A role change is a new dated record; the history of roles is never rewritten by deletion.
    can_delete = False

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.role_assessments.exists() else 1


def _only_for(kind: str) -> str:
    return f"Only for “{vocabulary('treatment_kind').label(kind)}”"


class TreatmentEventInline(StewardRecordsInline, admin.StackedInline):
    model = TreatmentEvent
    extra = 0
    # Harms are recorded, not hidden: an arrest or a citation stays, with its alert.
    can_delete = False
    fieldsets = (
        (None, {"fields": (("kind", "occurred_on"),)}),
        (_only_for("screened"), {"fields": (("screener", "screening_tool", "screening_result"),)}),
        (
            _only_for("interviewed"),
            {
                "fields": (
                    ("interview_location", "advocate_present"),
                    ("basic_needs_before", "attorney_present"),
                )
            },
        ),
        (_only_for("arrested"), {"fields": ("arrest_basis",)}),
    )


class ChargeInline(StewardRecordsInline, admin.TabularInline):
    model = Charge
    fields = ("statute", "charged_on", "disposition", "disposition_on")
    extra = 0
    can_delete = False

    def _may_record(self, request, obj) -> bool:
        return obj is not None and access.can_record_charges(request.user, obj)


class ServiceOfferInline(StewardRecordsInline, admin.TabularInline):
    model = ServiceOffer
    fields = ("service_type", "offered_on", "offered_by", "response", "provider")
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "provider":
            kwargs["queryset"] = Agency.objects.filter(kind="victim_service_provider")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CooperationRecordInline(StewardRecordsInline, admin.TabularInline):
    model = CooperationRecord
    fields = ("status", "recorded_on")
    extra = 0


class FollowUpInline(StewardRecordsInline, admin.StackedInline):
    model = FollowUp
    extra = 0
    fields = (
        ("due_on", "done_on", "reached"),
        ("still_receiving_services", "re_trafficking"),
        ("deported", "prosecuted"),
        "prosecuted_for",
    )


# What an alert shows, inline under its person or on its own page: all of it is raised by the
# services and read-only.
_ALERT_FIELDS = (
    "trigger",
    "treatment_event",
    "charge",
    "cooperation_record",
    "role_when_raised",
    "raised_at",
)


class NonPunishmentAlertInline(ReadOnlyInline):
    """Alerts are raised by the services, never typed in."""

    model = NonPunishmentAlert
    fields = _ALERT_FIELDS


class EncounterForm(forms.ModelForm):
    race_ethnicity = forms.MultipleChoiceField(
        label="Race and ethnicity",
        choices=vocabulary("race_ethnicity").choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every category that applies, or “Not recorded” alone.",
    )


class CurrentRoleFilter(admin.SimpleListFilter):
    title = "current role"
    parameter_name = "current_role"

    def lookups(self, request, model_admin):
        return vocabulary("role").choices

    def queryset(self, request, queryset):
        role = self.value()
        if role is None:
            return queryset
        matches = Q(current_role_code=role)
        if role == "unknown":
            matches |= Q(current_role_code__isnull=True)
        return queryset.filter(matches)


@admin.register(Encounter)
class EncounterAdmin(ShowsPersonLevel, RecordsAfterParent, ShowsDataOrigin, RecordedAdmin):
    """Stewards record everything about the people their operations encountered; prosecutors
    record charges and dispositions there; analysts read. Caseworkers read a referred person on
    the person's page, which shows only what the person's consent shares (``access.reading``);
    these pages show every field, so they are not for caseworkers."""

    viewers = OPERATION_READERS
    adders = STEWARDS
    form = EncounterForm
    add_description = (
        "A person is recorded under a random code with coded facts only: never a name or anything "
        "else that identifies them. After saving, record on the next page the role assessed at "
        "the encounter, what was done, charges, services offered, cooperation and follow-up."
    )
    after_add_message = (
        "Now record below the role assessed at the encounter, what was done, charges, services "
        "offered, cooperation and follow-up."
    )
    fields = (
        "code",
        "operation",
        "encountered_on",
        "age_group",
        "age_determination",
        "entered_as_minor",
        "gender_identity",
        "race_ethnicity",
        "citizenship_status",
        "primary_language",
        "interpreter",
        "identification_pathway",
        "identified_by",
        "referring_organisation",
        "work_sector",
        "trafficking_form",
    )
    readonly_fields = ("code",)
    autocomplete_fields = ("operation",)
    inlines = (
        RoleAssessmentInline,
        TreatmentEventInline,
        ChargeInline,
        ServiceOfferInline,
        CooperationRecordInline,
        FollowUpInline,
        NonPunishmentAlertInline,
    )
    list_display = ("code", "current_role", "age_group", "data_origin", "operation")
    list_filter = (
        CurrentRoleFilter,
        "age_group",
        "data_origin",
        "identification_pathway",
        "work_sector",
        "operation__initiative",
        "operation__operation_type",
    )
    list_select_related = ("operation",)
    search_fields = ("code", "operation__name", "operation__code")

    def scope(self, request, queryset):
        return queryset.filter(pk__in=access.encounters_for(request.user).values("pk"))

    def may_change(self, request, obj) -> bool:
        return access.can_record_charges(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not access.can_record_encounter_details(request.user, obj):
            return (*readonly, *self.fields)
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "operation":
            editable = access.operations_for(request.user)
            kwargs["queryset"] = Operation.objects.filter(pk__in=editable.values("pk"))
        if db_field.name == "identified_by":
            # A steward records the people their own agency identified, no one else's.
            kwargs["queryset"] = Agency.objects.filter(pk=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return with_current_role(super().get_queryset(request))

    def get_changeform_initial_data(self, request):
        return {"race_ethnicity": ["not_recorded"], **super().get_changeform_initial_data(request)}

    @admin.display(description="Current role", ordering="current_role_code")
    def current_role(self, encounter):
        return vocabulary("role").label(encounter.current_role_code or "unknown")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for alert in services.refresh_non_punishment_alerts(encounter=form.instance):
            self.message_user(
                request,
                f"Non-punishment alert raised: {alert}. "
                f"{vocabulary('non_punishment_trigger').term(alert.trigger).definition} "
                "The record stands as entered.",
                messages.WARNING,
            )


@admin.register(NonPunishmentAlert)
class NonPunishmentAlertAdmin(ShowsPersonLevel, FollowsAccessRules, admin.ModelAdmin):
    """Every alert in reach, for review. Alerts are never edited or deleted here, and so Django
    also refuses to delete an encounter, event or charge that carries one."""

    viewers = OPERATION_READERS

    def scope(self, request, queryset):
        return queryset.filter(encounter__in=access.encounters_for(request.user))

    list_display = ("encounter", "operation", "trigger", "role_when_raised", "raised_at")
    list_filter = (
        "trigger",
        "role_when_raised",
        "encounter__data_origin",
        "encounter__operation__initiative",
    )
    list_select_related = ("encounter__operation",)
    search_fields = ("encounter__code", "encounter__operation__name")
    fields = ("encounter", *_ALERT_FIELDS)
    readonly_fields = fields

    @admin.display(description="Operation", ordering="encounter__operation__start_date")
    def operation(self, alert):
        return alert.encounter.operation

    def may_change(self, request, obj) -> bool:
        return False


# Funding


class AllocationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # Each allocation's own check sees only the rows already saved; rows entered together on
        # this page must fit within the funding as well.
        total = sum(
            form.cleaned_data["amount_allocated"]
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        )
        if total > self.instance.amount:
            raise ValidationError(
                f"Allocations would total {total}, more than the {self.instance.amount} the "
                "funding source provides."
            )


class AllocationInline(PartOfOperationInline, admin.TabularInline):
    model = FundingAllocation
    formset = AllocationFormSet
    fields = ("operation", "category", "amount_allocated", "amount_spent")
    autocomplete_fields = ("operation",)

    def _may_edit(self, request, obj) -> bool:
        # The parent here is a funding source: whoever may change it records its allocations,
        # and only to operations within their reach (the operation field offers no others).
        if obj is None:
            return access.role_of(request.user) == access.STEWARD
        return self.admin_site._registry[FundingSource].may_change(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "operation":
            reachable = access.operations_for(request.user)
            kwargs["queryset"] = Operation.objects.filter(pk__in=reachable.values("pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.allocations.exists() else 1


class FundingSourceForm(forms.ModelForm):
    conditions = forms.MultipleChoiceField(
        label="Conditions",
        choices=vocabulary("funding_condition").choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The conditions the funder attached; 'No conditions' alone; none ticked when "
        "not known.",
    )
    user = None

    def _post_clean(self):
        super()._post_clean()
        # The rule of the funding pages, once the instance holds what was entered: a steward
        # records their own agency's money, and may not make it someone else's.
        if self.user is not None and not self.errors:
            try:
                services.check_funding_is_theirs(self.user, self.instance)
            except ValidationError as error:
                self.add_error(None, error)


@admin.register(FundingSource)
class FundingSourceAdmin(RecordsAfterParent, RecordedAdmin):
    """Money is not person-level: the roles that read funding read every funding source (as on
    the funding pages, ``access``); stewards record their agency's money, administrators any."""

    viewers = access.FUNDING_READERS
    adders = access.FUNDING_RECORDERS
    form = FundingSourceForm

    def may_change(self, request, obj) -> bool:
        return access.funding_is_theirs(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_inlines(self, request, obj):
        # Only money for operations is allocated to operations (FundingAllocation.clean).
        return super().get_inlines(request, obj) if obj is None or obj.for_operations else []

    add_description = (
        "Name the recipient unless the money is for law-enforcement operations; after saving "
        "money for operations, record on the next page how it went to operations."
    )
    after_add_message = "Money for operations: record below how it was allocated to operations."
    fields = (
        "funder",
        "recipient",
        "purpose",
        "conditions",
        "programme",
        "amount",
        "period_start",
        "period_end",
    )
    inlines = (AllocationInline,)
    list_display = (
        "programme",
        "purpose",
        "funder",
        "recipient",
        "amount",
        "period_start",
        "period_end",
    )
    list_filter = ("purpose", "funder__kind")
    list_select_related = ("funder", "recipient")
    search_fields = ("programme", "funder__name", "recipient__name")
