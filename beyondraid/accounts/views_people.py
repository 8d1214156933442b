"""Pages for managing users, their roles and organisations, the welcome link, and the audit log.

Thin: each parses input, asks ``selectors`` or calls ``services``, and renders. A list page a
user may not open answers 403 with a plain page; a page about one user, or a role grant, answers
404 to anyone who may not see it, so that nothing reveals whether it exists.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beyondraid.core import spreadsheets

from . import selectors, services
from .forms_people import (
    AuditFilterForm,
    ChoosePasswordForm,
    ConfirmForm,
    InviteForm,
    OrganisationForm,
    RoleForm,
    UserFilterForm,
    add_service_errors,
)

AUDIT_PAGE_SIZE = 50


def _no_access(request, message: str = services.NO_ACCESS) -> HttpResponse:
    return render(request, "accounts/no_access.html", {"message": message}, status=403)


def _deactivate_form(person, data=None) -> ConfirmForm:
    return ConfirmForm(
        data,
        prefix="deactivate",
        label=f"I understand that {person.username} will no longer be able to sign in.",
    )


def _reset_form(person, data=None) -> ConfirmForm:
    return ConfirmForm(
        data,
        prefix="reset",
        label=(
            f"I understand that {person.username} must set up two-factor sign-in again, "
            "with a new phone or app, at their next sign-in."
        ),
    )


def _managed_person(request, pk: int):
    return get_object_or_404(selectors.users_for_management(request.user), pk=pk)


def _role_form(request, person, data=None) -> RoleForm:
    return RoleForm(data, manager=request.user, person=person)


def _detail(request, person, *, deactivate_form=None, reset_form=None, role_form=None, status=200):
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "is_self": person.pk == request.user.pk,
            "deactivate_form": deactivate_form or _deactivate_form(person),
            "reset_form": reset_form or _reset_form(person),
            "role_form": role_form or _role_form(request, person),
            "pending_grant": selectors.pending_grant_of(person),
        },
        status=status,
    )


def _site_url(request) -> str:
    # Where the e-mailed link to choose a password starts.
    return request.build_absolute_uri("/")


def _link_sent(request, person) -> None:
    messages.success(
        request,
        f"An e-mail with the link to choose a password was sent to {person.email}. Only they "
        f"receive it; the link works once, for {selectors.PASSWORD_LINK_VALID_FOR.days} days.",
    )


def _waiting_for_confirmation(request, grant) -> None:
    messages.success(
        request,
        f"{grant.user.username} is to be {grant.get_role_display()}: this takes effect once "
        "another administrator of your organisation confirms it on the Users page.",
    )


@login_required
@require_GET
def users_list(request):
    if not selectors.can_manage_users(request.user):
        return _no_access(request)
    form = UserFilterForm(request.GET or None, manager=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    users = selectors.users_for_management(
        request.user, organisation=chosen.get("organisation"), active=chosen.get("active")
    )
    pending = [
        (grant, selectors.may_decide_grant(request.user, grant))
        for grant in selectors.pending_grants(request.user)
    ]
    return render(
        request,
        "accounts/users_list.html",
        {
            "form": form,
            "users": users,
            "pending_grants": pending,
            "recent_grant_decisions": selectors.recent_grant_decisions(request.user),
            "grant_decisions_shown_for": selectors.GRANT_DECISIONS_SHOWN_FOR.days,
            "can_manage_organisations": selectors.can_manage_organisations(request.user),
            "can_read_audit_log": selectors.can_read_audit_log(request.user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_invite(request):
    if not selectors.can_manage_users(request.user):
        return _no_access(request)
    form = InviteForm(request.POST or None, manager=request.user)
    if form.is_valid():
        try:
            grant = services.invite_user(
                **form.cleaned_data, by=request.user, site_url=_site_url(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _link_sent(request, grant.user)
            _waiting_for_confirmation(request, grant)
            return redirect("accounts:user_detail", pk=grant.user.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


@login_required
@require_GET
def user_detail(request, pk: int):
    return _detail(request, _managed_person(request, pk))


@login_required
@require_POST
def user_deactivate(request, pk: int):
    person = _managed_person(request, pk)
    form = _deactivate_form(person, request.POST)
    if form.is_valid():
        try:
            services.deactivate_user(user=person, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{person.username} is deactivated and can no longer sign in."
            )
            return redirect("accounts:user_detail", pk=person.pk)
    return _detail(request, person, deactivate_form=form, status=400)


@login_required
@require_POST
def user_reactivate(request, pk: int):
    person = _managed_person(request, pk)
    services.reactivate_user(user=person, by=request.user)
    messages.success(request, f"{person.username} is active again and can sign in.")
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_POST
def user_reset_two_factor(request, pk: int):
    person = _managed_person(request, pk)
    form = _reset_form(person, request.POST)
    if not form.is_valid():
        return _detail(request, person, reset_form=form, status=400)
    services.reset_two_factor(user=person, by=request.user)
    messages.success(
        request, f"{person.username} will set up two-factor sign-in again at their next sign-in."
    )
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_POST
def user_password_link(request, pk: int):
    person = _managed_person(request, pk)
    try:
        services.renew_password_link(user=person, by=request.user, site_url=_site_url(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        _link_sent(request, person)
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_POST
def user_change_role(request, pk: int):
    person = _managed_person(request, pk)
    form = _role_form(request, person, request.POST)
    if form.is_valid():
        try:
            grant = services.change_role(user=person, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _waiting_for_confirmation(request, grant)
            return redirect("accounts:user_detail", pk=person.pk)
    return _detail(request, person, role_form=form, status=400)


def _decide_grant(request, pk: int, decide, done) -> HttpResponse:
    grant = get_object_or_404(selectors.grants_visible_to(request.user), pk=pk)
    try:
        decide(grant=grant, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done(grant))
    return redirect("accounts:users")


@login_required
@require_POST
def grant_confirm(request, pk: int):
    return _decide_grant(
        request,
        pk,
        services.confirm_grant,
        lambda grant: f"{grant.user.username} is now {grant.get_role_display()}.",
    )


@login_required
@require_POST
def grant_refuse(request, pk: int):
    return _decide_grant(
        request,
        pk,
        services.refuse_grant,
        lambda grant: (
            f"{grant.user.username} is not given the role {grant.get_role_display()}; "
            "their access stays as it was."
        ),
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def welcome(request, uidb64: str, token: str):
    person = selectors.user_for_password_link(uidb64, token)
    if person is None:
        return render(
            request,
            "accounts/welcome_set_password.html",
            {"message": services.LINK_NOT_VALID, "sign_in_url": resolve_url(settings.LOGIN_URL)},
            status=404,
        )
    form = ChoosePasswordForm(person, request.POST or None)
    if form.is_valid():
        try:
            services.choose_password(
                uidb64=uidb64, token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(settings.LOGIN_URL)
    return render(request, "accounts/welcome_set_password.html", {"form": form, "person": person})


@login_required
@require_GET
def organisations_list(request):
    if not selectors.can_manage_organisations(request.user):
        return _no_access(request)
    return render(
        request,
        "accounts/organisations_list.html",
        {"organisations": selectors.organisations_for_management(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_add(request):
    if not selectors.can_manage_organisations(request.user):
        return _no_access(request)
    form = OrganisationForm(request.POST or None)
    if form.is_valid():
        try:
            services.add_organisation(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("accounts:organisations")
    return render(request, "accounts/organisation_add.html", {"form": form})


AUDIT_NO_ACCESS = "You do not have access to the audit log."


def _audit_page(request, form: AuditFilterForm, *, status: int = 200) -> HttpResponse:
    entries = selectors.audit_entries(request.user, form.filters()) if form.is_valid() else None
    page, rows = None, []
    if entries is not None:
        page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        links = selectors.audit_record_links(request.user, shown)
        rows = [(entry, links.get(entry.pk)) for entry in shown]
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "rows": rows},
        status=status,
    )


@login_required
@require_GET
def audit_log(request):
    if not selectors.can_read_audit_log(request.user):
        return _no_access(request, AUDIT_NO_ACCESS)
    return _audit_page(request, AuditFilterForm(request.GET))


class _Echo:
    """Hands each line the CSV writer writes back, so that the file can be streamed."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def audit_export(request):
    if not selectors.can_read_audit_log(request.user):
        return _no_access(request, AUDIT_NO_ACCESS)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _audit_page(request, form, status=400)
    rows = services.export_audit_log(filters=form.filters(), by=request.user)
    # Labels such as an organisation's name are typed by users: never a formula in a spreadsheet.
    writer = spreadsheets.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
