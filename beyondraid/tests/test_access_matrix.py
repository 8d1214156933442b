"""Every URL of the project, for every persona: the answer its role allows (docs/principles.md, Who
uses it), and nothing more.

The test walks the URL configuration. A URL without a row in ``MATRIX`` (or, for the records
administration, a model without an entry in ``ADMIN_MODELS``) fails it, so nobody can add a page
without deciding who may open it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from beyondraid.accountability import services as accountability
from beyondraid.accounts import services as accounts
from beyondraid.accounts.models import User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care import services as care_services
from beyondraid.care.tests.builders import list_publicly, refer
from beyondraid.intake.models import ImportBatch
from beyondraid.planning import services as planning
from beyondraid.planning.tests.plan_builders import submitted
from beyondraid.records import services as records
from beyondraid.standard import services
from beyondraid.standard.models import Statute
from beyondraid.transparency.models import Release, ReleaseTable

pytestmark = pytest.mark.django_db

STAFF = (
    "steward_a",
    "steward_b",
    "prosecutor",
    "caseworker",
    "analyst",
    "investigator",
    "administrator",
)
PERSONAS = (*STAFF, "anonymous")
OPERATION_READERS = ("steward_a", "steward_b", "prosecutor", "analyst")
AUDIT_SHEET_READERS = tuple(persona for persona in STAFF if persona != "caseworker")
FUNDING_READERS = tuple(persona for persona in STAFF if persona != "caseworker")
FUNDING_RECORDERS = ("steward_a", "steward_b", "administrator")


@dataclass(frozen=True)
class Row:
    """How to reach one URL (``args`` from the shared world) and who gets what."""

    args: Callable = lambda world: []
    expected: Callable[[str], int] = lambda persona: 200
    method: str = "get"


def everyone(status: int) -> Callable[[str], int]:
    return lambda persona: status


def staff_only(staff: Callable[[str], int]) -> Callable[[str], int]:
    """Signed-out visitors are sent to sign in; staff get what ``staff`` says."""
    return lambda persona: 302 if persona == "anonymous" else staff(persona)


def allowed(personas, yes: int = 200, no: int = 403) -> Callable[[str], int]:
    return staff_only(lambda persona: yes if persona in personas else no)


IMPORTERS = ("steward_a", "steward_b", "administrator")
# Live indicators and releases in preparation are for oversight analysts and administrators.
INDICATOR_READERS = ("analyst", "administrator")


def release_args(world) -> list:
    """The name and version that start every URL of a release on the public site."""
    return [world.release.name, world.release.version]


def for_agency_a_imports(yes: int) -> Callable[[str], int]:
    def expected(persona: str) -> int:
        if persona in ("steward_a", "administrator"):
            return yes
        return 404 if persona == "steward_b" else 403

    return staff_only(expected)


# Agency A's plan, submitted: read by A's stewards, the partners it names and analysts; it does
# not exist for anyone else.
PLAN_READERS = ("steward_a", "prosecutor", "caseworker", "analyst")


def plan_args(world) -> list:
    return [world.plan.code]


def plan_version_args(world) -> list:
    return [world.plan.code, 1]


# Referrals are read by the caseworkers of the provider, the referring side and analysts.
RECORDS_FILERS = ("analyst", "investigator")
RECORDS_READERS = (*RECORDS_FILERS, "administrator")


def records_args(world) -> list:
    return [world.records_request.code]


REFERRAL_READERS = ("steward_a", "steward_b", "caseworker", "analyst")
IDENTIFIERS = ("steward_a", "steward_b", "caseworker")
A_REFERRAL_READERS = ("steward_a", "caseworker", "analyst")


def referral_args(world) -> list:
    return [world.referral.code]


def for_the_referred_person(yes: int) -> Callable[[str], int]:
    def expected(persona: str) -> int:
        if persona == "steward_a":
            return yes
        return 403 if persona in ("prosecutor", "analyst") else 404

    return staff_only(expected)


MATRIX: dict[str, Row] = {
    "home": Row(),
    # Each signed-in person's start page, for every role (what it lists is the role's own).
    "start": Row(expected=staff_only(lambda persona: 200)),
    "healthz": Row(),
    "standard:operation_list": Row(expected=allowed(OPERATION_READERS)),
    "standard:operation_detail": Row(
        args=lambda w: [w.operation_a.code],
        expected=allowed(("steward_a", "prosecutor", "analyst"), no=404),
    ),
    # The people grid: A's steward records the operation's people (posted empty, bad input); the
    # others who read the operation may not (403); for everyone else it does not exist.
    "standard:people_grid": Row(
        args=lambda w: [w.operation_a.code], expected=for_the_referred_person(200)
    ),
    "standard:people_grid#post": Row(
        args=lambda w: [w.operation_a.code], method="post", expected=for_the_referred_person(400)
    ),
    # Recording on the site's own pages: stewards record operations (posted empty, bad input);
    # A's steward adds people to A's operation and corrects it and its people, which the others
    # who read them may not (403) and which do not exist for everyone else.
    "standard:operation_new": Row(expected=allowed(("steward_a", "steward_b"))),
    "standard:operation_new#post": Row(
        method="post", expected=allowed(("steward_a", "steward_b"), yes=400)
    ),
    "standard:operation_edit": Row(
        args=lambda w: [w.operation_a.code], expected=for_the_referred_person(200)
    ),
    "standard:operation_edit#post": Row(
        args=lambda w: [w.operation_a.code], method="post", expected=for_the_referred_person(400)
    ),
    "standard:person_new": Row(
        args=lambda w: [w.operation_a.code], expected=for_the_referred_person(200)
    ),
    "standard:person_new#post": Row(
        args=lambda w: [w.operation_a.code], method="post", expected=for_the_referred_person(400)
    ),
    "standard:person_edit": Row(
        args=lambda w: [w.encounter_a.code], expected=for_the_referred_person(200)
    ),
    "standard:person_edit#post": Row(
        args=lambda w: [w.encounter_a.code], method="post", expected=for_the_referred_person(400)
    ),
    # What happened to a person later, and an operation's agencies and places: the same as
    # correcting them (posted empty, bad input).
    "standard:person_record": Row(
        args=lambda w: [w.encounter_a.code], expected=for_the_referred_person(200)
    ),
    "standard:person_record#post": Row(
        args=lambda w: [w.encounter_a.code], method="post", expected=for_the_referred_person(400)
    ),
    "standard:operation_agencies": Row(
        args=lambda w: [w.operation_a.code], expected=for_the_referred_person(200)
    ),
    "standard:operation_agencies#post": Row(
        args=lambda w: [w.operation_a.code], method="post", expected=for_the_referred_person(400)
    ),
    # The referral to the caseworker's provider waits for an answer: until the provider accepts
    # it, the person does not exist for its caseworker, on this page or any of the person's pages.
    "standard:encounter_detail": Row(
        args=lambda w: [w.referred_encounter.code],
        expected=allowed(("steward_a", "prosecutor", "analyst"), no=404),
    ),
    # Linking the person's other contacts: a POST only, by the lead agency's steward (posted
    # empty, bad input); the others who read the person may not link them (403), and for
    # everyone else the person does not exist.
    "standard:link_person": Row(args=lambda w: [w.referred_encounter.code], expected=everyone(405)),
    "standard:link_person#post": Row(
        args=lambda w: [w.referred_encounter.code],
        method="post",
        expected=for_the_referred_person(400),
    ),
    # Funding: money, not people. Every role but caseworkers reads it; stewards record their
    # agency's money and administrators any, so the world's funding, given by agency A, is
    # corrected by A's steward and administrators and refused to everyone else who reads it.
    # Posted empty, the forms come back as bad input.
    "standard:funding_list": Row(expected=allowed(FUNDING_READERS)),
    "standard:funding_new": Row(expected=allowed(FUNDING_RECORDERS)),
    "standard:funding_new#post": Row(method="post", expected=allowed(FUNDING_RECORDERS, yes=400)),
    "standard:funding_edit": Row(
        args=lambda w: [w.funding.pk], expected=allowed(("steward_a", "administrator"))
    ),
    "standard:funding_edit#post": Row(
        args=lambda w: [w.funding.pk],
        method="post",
        expected=allowed(("steward_a", "administrator"), yes=400),
    ),
    # Signing in and out.
    "accounts:sign_in": Row(),
    "accounts:two_factor": Row(expected=everyone(302)),
    "accounts:two_factor_enrol": Row(expected=everyone(302)),
    "accounts:signed_out": Row(),
    # Signing out is POST only; a GET cannot sign anyone out.
    "accounts:sign_out": Row(expected=everyone(405)),
    "admin:login": Row(expected=everyone(302)),
    "admin:logout": Row(expected=staff_only(everyone(405))),
    # User management and the audit log.
    "accounts:users": Row(expected=allowed(("administrator",))),
    "accounts:user_invite": Row(expected=allowed(("administrator",))),
    "accounts:user_detail": Row(
        args=lambda w: [w.steward_a.pk], expected=allowed(("administrator",), no=404)
    ),
    # Without the confirmation tick-box the form comes back (400).
    "accounts:user_deactivate": Row(
        args=lambda w: [w.steward_a.pk],
        method="post",
        expected=allowed(("administrator",), yes=400, no=404),
    ),
    "accounts:user_reset_two_factor": Row(
        args=lambda w: [w.steward_a.pk],
        method="post",
        expected=allowed(("administrator",), yes=400, no=404),
    ),
    # steward_a is active and has a password: back to their page.
    "accounts:user_reactivate": Row(
        args=lambda w: [w.steward_a.pk],
        method="post",
        expected=allowed(("administrator",), yes=302, no=404),
    ),
    "accounts:user_password_link": Row(
        args=lambda w: [w.steward_a.pk],
        method="post",
        expected=allowed(("administrator",), yes=302, no=404),
    ),
    # Without a role chosen the form comes back (400).
    "accounts:user_change_role": Row(
        args=lambda w: [w.steward_a.pk],
        method="post",
        expected=allowed(("administrator",), yes=400, no=404),
    ),
    # The administrator asked for this role, so another administrator decides it: back to the
    # users page with the reason (302). Nobody outside user management sees a grant at all.
    "accounts:grant_confirm": Row(
        args=lambda w: [w.role_grant.pk],
        method="post",
        expected=allowed(("administrator",), yes=302, no=404),
    ),
    "accounts:grant_refuse": Row(
        args=lambda w: [w.role_grant.pk],
        method="post",
        expected=allowed(("administrator",), yes=302, no=404),
    ),
    "accounts:welcome": Row(args=lambda w: ["MQ", "not-a-token"], expected=everyone(404)),
    "accounts:organisations": Row(expected=allowed(("administrator",))),
    "accounts:organisation_add": Row(expected=allowed(("administrator",))),
    "accounts:audit_log": Row(expected=allowed(("analyst", "administrator"))),
    "accounts:audit_export": Row(expected=allowed(("analyst", "administrator"))),
    # Auditing released sheets: everyone on the staff side but caseworkers. A POST with no file
    # brings the form back with its error (400).
    "intake:audit": Row(expected=allowed(AUDIT_SHEET_READERS)),
    "intake:audit#post": Row(expected=allowed(AUDIT_SHEET_READERS, yes=400), method="post"),
    # Imports: stewards import into their own agency, administrators review every import. A batch
    # of agency A does not exist for B's steward; undo without its tick-box goes back (302).
    "intake:import_list": Row(expected=allowed(IMPORTERS)),
    "intake:import_detail": Row(
        args=lambda w: [w.import_batch.pk], expected=for_agency_a_imports(yes=200)
    ),
    "intake:import_undo": Row(
        args=lambda w: [w.import_batch.pk], method="post", expected=for_agency_a_imports(yes=302)
    ),
    # Operation plans. The submitted version is locked, so its edit page sends A's steward back
    # to the plan (302); the partners and analysts may read but not edit it (403). A workflow
    # action the person may not take goes back to the plan with the reason (302); a form posted
    # empty comes back with its errors (400).
    "planning:list": Row(expected=allowed((*PLAN_READERS, "steward_b"))),
    "planning:new": Row(expected=allowed(("steward_a", "steward_b"))),
    "planning:detail": Row(args=plan_args, expected=allowed(PLAN_READERS, no=404)),
    "planning:edit": Row(
        args=lambda w: [w.plan.code, "overview"],
        expected=staff_only(
            lambda p: 302 if p == "steward_a" else 403 if p in PLAN_READERS else 404
        ),
    ),
    "planning:submit": Row(
        args=plan_version_args, method="post", expected=allowed(PLAN_READERS, yes=302, no=404)
    ),
    "planning:review": Row(
        args=plan_version_args, method="post", expected=allowed(PLAN_READERS, yes=400, no=404)
    ),
    "planning:waive": Row(
        args=plan_version_args, method="post", expected=allowed(PLAN_READERS, yes=400, no=404)
    ),
    "planning:approve": Row(
        args=plan_version_args, method="post", expected=allowed(PLAN_READERS, yes=302, no=404)
    ),
    "planning:return": Row(
        args=plan_version_args, method="post", expected=allowed(PLAN_READERS, yes=400, no=404)
    ),
    "planning:new_version": Row(
        args=plan_args, method="post", expected=allowed(PLAN_READERS, yes=302, no=404)
    ),
    "planning:link_operation": Row(
        args=plan_args, method="post", expected=allowed(PLAN_READERS, yes=400, no=404)
    ),
    "planning:pdf": Row(args=plan_version_args, expected=allowed(PLAN_READERS, no=404)),
    # The post-operation review counts the operation's people: for those who see the operation
    # as well as the plan, so not for the service partner.
    "planning:outcome": Row(
        args=plan_args, expected=allowed(("steward_a", "prosecutor", "analyst"), no=404)
    ),
    # The victim-service network. The directory describes organisations: all staff read it, and
    # only the provider's own caseworker changes its entry (an administrator may list a provider
    # not listed yet; this one is).
    "care:directory": Row(expected=allowed(STAFF)),
    # The provider's own caseworkers keep its entry; administrators may correct it.
    "care:provider_edit": Row(
        args=lambda w: [w.provider.pk], expected=allowed(("caseworker", "administrator"))
    ),
    # The public directory of where help is: the same for everyone, signed in or not.
    "help:directory": Row(),
    "help:provider": Row(args=lambda w: [w.provider.pk]),
    # Referring a person: A's steward; those who see the person but may not refer them are told
    # so (403); for everyone else the person does not exist. Posted empty, the form comes back.
    "care:refer": Row(
        args=lambda w: [w.referred_encounter.code], expected=for_the_referred_person(yes=200)
    ),
    "care:refer#post": Row(
        args=lambda w: [w.referred_encounter.code],
        method="post",
        expected=for_the_referred_person(yes=400),
    ),
    # The people an organisation identified outside any operation: its stewards and caseworkers
    # list and record them; posted empty, the form comes back as bad input.
    "care:identified_list": Row(expected=allowed(IDENTIFIERS)),
    "care:identify": Row(expected=allowed(IDENTIFIERS)),
    "care:identify#post": Row(method="post", expected=allowed(IDENTIFIERS, yes=400)),
    # Referrals: the provider's caseworkers, the stewards of the referring side, analysts. B's
    # steward has referrals of their own to read, not this one.
    "care:referral_list": Row(expected=allowed(REFERRAL_READERS)),
    "care:referral_detail": Row(args=referral_args, expected=allowed(A_REFERRAL_READERS, no=404)),
    # The provider's actions, posted empty: the caseworker gets the form back (400); the others
    # who read the referral go back to it with the reason (302).
    **{
        f"care:{action}": Row(
            args=referral_args,
            method="post",
            expected=staff_only(
                lambda p: 400 if p == "caseworker" else 302 if p in A_REFERRAL_READERS else 404
            ),
        )
        for action in ("accept", "decline", "start", "close", "record_delivery", "record_follow_up")
    },
    "care:unmet_needs": Row(expected=allowed(REFERRAL_READERS)),
    # Analysts for any agency, stewards for their own.
    "care:cooperation_parity": Row(expected=allowed(("steward_a", "steward_b", "analyst"))),
    # Alerts: every role that acts on them, each about the people it may see.
    "care:alerts": Row(
        expected=allowed(("steward_a", "steward_b", "prosecutor", "caseworker", "analyst"))
    ),
    # A person's relief requests: read by whoever sees the person's immigration situation;
    # recorded by A's steward (the form posted empty comes back); decided through the services,
    # which refuse the others.
    "care:relief": Row(
        args=lambda w: [w.referred_encounter.code],
        expected=allowed(("steward_a", "prosecutor", "analyst"), no=404),
    ),
    "care:relief#post": Row(
        args=lambda w: [w.referred_encounter.code],
        method="post",
        expected=staff_only(
            lambda p: 400 if p == "steward_a" else 403 if p in ("prosecutor", "analyst") else 404
        ),
    ),
    "care:decide_relief": Row(
        args=lambda w: [w.referred_encounter.code, w.relief.code],
        method="post",
        expected=allowed(("steward_a", "prosecutor", "analyst"), yes=302, no=404),
    ),
    # A person's family reunification, court dates and record clearing: read by whoever sees the
    # person (prosecutors read the court dates only); recorded by A's steward, whose empty post
    # comes back as bad input, and by a caseworker whose provider accepted a referral (this one
    # is still waiting for an answer, so the person does not exist for the caseworker yet).
    "care:support": Row(
        args=lambda w: [w.referred_encounter.code],
        expected=allowed(("steward_a", "prosecutor", "analyst"), no=404),
    ),
    "care:support#post": Row(
        args=lambda w: [w.referred_encounter.code],
        method="post",
        expected=staff_only(
            lambda p: 400 if p == "steward_a" else 403 if p in ("prosecutor", "analyst") else 404
        ),
    ),
    # Live indicators are not disclosure-checked: oversight analysts and administrators only.
    "indicators:index": Row(expected=allowed(INDICATOR_READERS)),
    "indicators:definitions": Row(expected=allowed(INDICATOR_READERS)),
    "indicators:definition": Row(
        args=lambda w: ["victims_identified"], expected=allowed(INDICATOR_READERS)
    ),
    "indicators:completeness": Row(expected=allowed(INDICATOR_READERS)),
    # Releases in preparation: the same analysts; the public reads published ones under data/.
    "releases:list": Row(expected=allowed(INDICATOR_READERS)),
    "releases:detail": Row(args=lambda w: release_args(w), expected=allowed(INDICATOR_READERS)),
    "releases:package": Row(args=lambda w: release_args(w), expected=allowed(INDICATOR_READERS)),
    "releases:check": Row(
        args=lambda w: release_args(w), method="post", expected=allowed(INDICATOR_READERS, 302)
    ),
    "releases:publish": Row(
        args=lambda w: release_args(w), method="post", expected=allowed(INDICATOR_READERS, 302)
    ),
    # Reporting abuse by officers: open to everyone, signed in or not, with no account needed. An
    # empty report or receipt is refused on the page.
    "report:form": Row(),
    "report:form#post": Row(method="post", expected=everyone(400)),
    "report:feedback": Row(),
    "report:feedback#post": Row(method="post", expected=everyone(400)),
    "report:follow_up": Row(),
    "report:follow_up#post": Row(method="post", expected=everyone(400)),
    # Investigating reports: investigators only. The world's investigator is assigned the world's
    # report; it does not exist for anyone else. Steps are posted, never fetched.
    # Named in the README: investigators go to their reports, anyone else reads what it is.
    "oversight:index": Row(expected=lambda persona: 302 if persona == "investigator" else 200),
    "oversight:reports": Row(expected=allowed(("investigator",))),
    "oversight:statistics": Row(expected=allowed(("investigator",))),
    "oversight:report": Row(
        args=lambda w: [w.misconduct_report.reference],
        expected=allowed(("investigator",), no=404),
    ),
    "oversight:unlock": Row(expected=allowed(("investigator",))),
    "oversight:lock": Row(method="post", expected=allowed(("investigator",), yes=302)),
    **{
        f"oversight:{step}": Row(
            args=lambda w: [w.misconduct_report.reference], expected=staff_only(everyone(405))
        )
        for step in (
            "acknowledge",
            "triage",
            "assign",
            "start",
            "adjudicate",
            "action",
            "close",
            "types",
        )
    },
    "oversight:extend": Row(
        args=lambda w: [w.misconduct_report.reference],
        method="post",
        expected=allowed(("investigator",), yes=400, no=404),
    ),
    "oversight:message": Row(
        args=lambda w: [w.misconduct_report.reference],
        method="post",
        expected=allowed(("investigator",), yes=400, no=404),
    ),
    # Choosing the language of the pages (a cookie), then back to where the reader was.
    "set_language": Row(method="post", expected=everyone(302)),
    # Public-records requests: oversight staff (the analyst; the investigator works for the same
    # oversight body) file and move their organisation's requests; administrators read them. The
    # world's request is the oversight body's, sent with its letter, released and made public.
    "records:list": Row(expected=allowed(RECORDS_READERS)),
    "records:new": Row(expected=allowed(RECORDS_FILERS)),
    "records:new#post": Row(method="post", expected=allowed(RECORDS_FILERS, yes=400)),
    "records:scorecard": Row(expected=allowed(RECORDS_READERS)),
    "records:scorecard_json": Row(expected=allowed(RECORDS_READERS)),
    "records:detail": Row(args=records_args, expected=allowed(RECORDS_READERS)),
    **{
        f"records:{form}": Row(
            args=records_args, method="post", expected=allowed(RECORDS_FILERS, yes=400)
        )
        for form in ("step", "attach", "release", "public")
    },
    # Running the audit on a released table answers on the request's page (a redirect).
    "records:audit": Row(
        args=lambda w: [w.records_request.code, w.records_document.pk],
        method="post",
        expected=allowed(RECORDS_FILERS, yes=302),
    ),
    # Ticking no category is an answer (nothing received), so an empty post is saved.
    "records:categories": Row(
        args=records_args, method="post", expected=allowed(RECORDS_FILERS, yes=302)
    ),
    "records:file": Row(
        args=lambda w: [w.records_request.code, "correspondence", w.records_letter.pk],
        expected=allowed(RECORDS_READERS),
    ),
    "records:letter": Row(
        args=lambda w: [w.records_request.code, "request"], expected=allowed(RECORDS_FILERS)
    ),
    # The same request on the public site, the same for everyone; the scorecard of public ones.
    "public:records_scorecard": Row(),
    "public:records_scorecard_csv": Row(),
    "public:records_request": Row(args=records_args),
    "public:records_file": Row(args=lambda w: [w.records_request.code, w.records_document.sha256]),
    # The API's schema and documentation, and its public part: published releases only, the same
    # for everyone, with no token (docs/api.md).
    "api:index": Row(),
    "api:schema": Row(),
    "api:docs": Row(),
    "api:public_releases": Row(),
    "api:public_release_latest": Row(args=lambda w: [w.release.name]),
    "api:public_release": Row(args=lambda w: release_args(w)),
    "api:public_table": Row(args=lambda w: [*release_args(w), "outcomes_by_agency"]),
    "api:public_datapackage": Row(args=lambda w: release_args(w)),
    # The rest of the API answers agency tokens only: a signed-in session is not a token.
    # What each token scope reaches is in test_api_token_matrix.py.
    "api:operations": Row(expected=everyone(401)),
    "api:operations_detail": Row(args=lambda w: [w.operation_a.code], expected=everyone(401)),
    "api:encounters": Row(expected=everyone(401)),
    "api:encounters_detail": Row(args=lambda w: [w.encounter_a.code], expected=everyone(401)),
    "api:treatment_events": Row(expected=everyone(401)),
    "api:treatment_events_detail": Row(args=lambda w: [1], expected=everyone(401)),
    "api:charges": Row(expected=everyone(401)),
    "api:charges_detail": Row(args=lambda w: [1], expected=everyone(401)),
    "api:service_offers": Row(expected=everyone(401)),
    "api:service_offers_detail": Row(args=lambda w: [1], expected=everyone(401)),
    "api:follow_ups": Row(expected=everyone(401)),
    "api:follow_ups_detail": Row(args=lambda w: [1], expected=everyone(401)),
    "api:submissions": Row(expected=everyone(401)),
    "api:submission": Row(args=lambda w: [1], expected=everyone(401)),
    "api:nibrs_export": Row(expected=everyone(401)),
    # A provider's caseworkers export their own accepted cases, within consent (docs/htcds.md).
    "api:htcds_export": Row(expected=allowed(("caseworker",))),
    # Tokens are made by an agency's own administrators; none of the personas is one.
    "api:tokens": Row(expected=staff_only(everyone(403))),
    "api:revoke_token": Row(args=lambda w: ["unknown"], expected=staff_only(everyone(405))),
    # The records administration's own pages.
    "admin:index": Row(expected=staff_only(everyone(200))),
    "admin:jsi18n": Row(expected=staff_only(everyone(200))),
    "admin:password_change": Row(expected=staff_only(everyone(200))),
    "admin:password_change_done": Row(expected=staff_only(everyone(200))),
    "admin:autocomplete": Row(expected=staff_only(everyone(403))),
    "admin:view_on_site": Row(args=lambda w: [0, 0], expected=staff_only(everyone(404))),
    "admin:app_list": Row(args=lambda w: ["standard"], expected=staff_only(everyone(200))),
    # The public site: published releases, the same for everyone, signed in or not.
    "public:overview": Row(),
    "public:methodology": Row(),
    "public:release_latest": Row(args=lambda w: [w.release.name]),
    "public:release": Row(args=lambda w: release_args(w)),
    "public:release_report": Row(args=lambda w: release_args(w)),
    "public:datapackage": Row(args=lambda w: release_args(w)),
    "public:table_csv": Row(args=lambda w: [*release_args(w), "outcomes_by_agency"]),
    "public:scorecards": Row(args=lambda w: release_args(w)),
    "public:agency": Row(args=lambda w: [*release_args(w), "agency-a"]),
    "public:agency_report": Row(args=lambda w: [*release_args(w), "agency-a"]),
    "public:state": Row(args=lambda w: [*release_args(w), "CA"]),
    "public:state_report": Row(args=lambda w: [*release_args(w), "CA"]),
    "public:operations": Row(args=lambda w: release_args(w)),
    "public:operation": Row(args=lambda w: [*release_args(w), w.operation_a.code]),
    "public:trends": Row(args=lambda w: release_args(w)),
    "public:funding": Row(args=lambda w: release_args(w)),
}


@dataclass(frozen=True)
class AdminModel:
    viewers: tuple[str, ...]
    adders: tuple[str, ...]
    record: Callable  # world -> an instance
    reaches: tuple[str, ...]  # personas for whom that instance exists


ADMIN_MODELS: dict[str, AdminModel] = {
    "standard.agency": AdminModel(STAFF, ("administrator",), lambda w: w.agency_a, STAFF),
    "standard.statute": AdminModel(
        STAFF, ("administrator",), lambda w: Statute.objects.get(code="ca-pc-647b"), STAFF
    ),
    "standard.operation": AdminModel(
        OPERATION_READERS,
        ("steward_a", "steward_b"),
        lambda w: w.operation_a,
        ("steward_a", "prosecutor", "analyst"),
    ),
    # Every field of a person, so not for caseworkers, who read only what consent shares.
    "standard.encounter": AdminModel(
        OPERATION_READERS,
        ("steward_a", "steward_b"),
        lambda w: w.referred_encounter,
        ("steward_a", "prosecutor", "analyst"),
    ),
    "standard.nonpunishmentalert": AdminModel(
        OPERATION_READERS, (), lambda w: w.alert, ("steward_b", "analyst")
    ),
    "standard.fundingsource": AdminModel(
        FUNDING_READERS, FUNDING_RECORDERS, lambda w: w.funding, FUNDING_READERS
    ),
}


def _admin_rows() -> dict[str, Row]:
    rows = {}
    for label, spec in ADMIN_MODELS.items():
        app, model = label.split(".")
        prefix = f"admin:{app}_{model}"

        def record_args(spec=spec):
            return lambda w: [spec.record(w).pk]

        rows[f"{prefix}_changelist"] = Row(expected=allowed(spec.viewers))
        rows[f"{prefix}_add"] = Row(expected=allowed(spec.adders))
        rows[f"{prefix}_change"] = Row(args=record_args(), expected=allowed(spec.reaches, no=404))
        rows[f"{prefix}_history"] = Row(args=record_args(), expected=allowed(spec.reaches, no=404))
        # Nothing is deleted through the administration: 403 where the record exists at all.
        rows[f"{prefix}_delete"] = Row(
            args=record_args(), expected=allowed(spec.reaches, yes=403, no=404)
        )
    return rows


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(_url_names(entry, inner))
        elif isinstance(entry, URLPattern):
            names.append(
                f"{namespace}{entry.name}" if entry.name else f"{namespace}<{entry.pattern}>"
            )
    return names


ROWS = {**MATRIX, **_admin_rows()}


def test_every_url_and_every_admin_model_has_a_row():
    unnamed = {name for name in _url_names(get_resolver()) if "<" in name}
    # Django's admin adds two kinds of unnamed pattern that only redirect: a bare object id to its
    # change page (one per model), and a catch-all that adds a trailing slash.
    assert unnamed == {"admin:<<path:object_id>/>", "admin:<(?P<url>.*)$>"}
    missing = sorted(set(_url_names(get_resolver())) - set(ROWS) - set(unnamed))
    assert missing == [], f"URLs with no row in the access matrix: {missing}"
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS), "every admin model needs an entry in ADMIN_MODELS"


@pytest.fixture
def world_with_records(world, settings, tmp_path):
    """The shared world plus a non-punishment alert (B's victim arrested), A's steward's import,
    a funding source, a published release, A's submitted plan, tied to its operation, the
    provider's directory entry and a referral to it from A's operation, waiting for an answer,
    and the administrator's request to make B's steward a prosecutor, waiting for another."""
    arrest = services.record_treatment_event(
        encounter=world.encounter_b,
        kind="arrested",
        occurred_on=world.encounter_b.encountered_on,
        arrest_basis="probable_cause",
    )
    world.alert = arrest.alert
    world.import_batch = ImportBatch.objects.create(
        created_by=world.steward_a,
        agency=world.agency_a,
        channel=ImportBatch.Channel.UPLOAD_PAGE,
        status=ImportBatch.Status.COMPLETED,
    )
    world.funding = services.record_funding_source(
        funder=world.agency_a,
        programme="City anti-trafficking budget",
        amount=Decimal("10000"),
        period_start=world.operation_a.start_date,
        period_end=world.operation_a.end_date,
    )
    world.release = _published_release(world)
    world.plan = planning.link_operation(
        user=world.steward_a, plan=submitted(world).plan, operation=world.operation_a
    )
    list_publicly(world.provider, by=world.caseworker)
    world.referral = refer(world)
    world.relief = care_services.record_relief_request(
        user=world.steward_a, encounter=world.referred_encounter, kind="t_visa_declaration"
    )
    world.misconduct_report = _assigned_misconduct_report(world)
    world.role_grant = accounts.change_role(
        user=world.steward_b, role="prosecutor", by=world.administrator
    )
    settings.DATA_DIR = tmp_path  # where the records request's files are stored
    world.records_request, world.records_letter, world.records_document = _records_request(world)
    return world


def _records_request(world):
    """A public-records request of the oversight body to agency A: sent with its letter,
    released with one document, and made public by its requester."""
    request = records.create_request(
        user=world.analyst,
        requester=world.oversight,
        agency=world.agency_a,
        law="cpra",
        subject="Operation staffing records",
    )
    sent_on = timezone.localdate() - timezone.timedelta(days=20)
    records.record_step(
        user=world.analyst,
        request=request,
        kind="submitted",
        on=sent_on,
        correspondence=[ContentFile(b"Dear records officer", name="request.txt")],
    )
    records.record_step(
        user=world.analyst, request=request, kind="released", on=sent_on + timezone.timedelta(9)
    )
    (document,) = records.store_released_documents(
        user=world.analyst,
        request=request,
        files=[ContentFile(b"roster summary", name="roster.csv")],
    )
    records.set_public(user=world.analyst, request=request, is_public=True)
    letter = request.events.get(kind="submitted").correspondence.get()
    return request, letter, document


def _assigned_misconduct_report(world):
    """A report assigned to the world's investigator by an oversight administrator."""
    chief = User.objects.create_user(
        username="oversight.chief",
        organisation=world.oversight,
        role="investigator",
        is_organisation_admin=True,
    )
    accountability.create_keyring({chief: "the oversight chief's passphrase"})
    report = accountability.submit_report(conduct=["force"], account="Thrown to the ground.").report
    accountability.acknowledge(user=chief, report=report)
    accountability.triage(
        user=chief, report=report, concerned_agency=world.agency_a, types=["force"]
    )
    return accountability.assign(user=chief, report=report, investigator=world.investigator)


def _published_release(world) -> Release:
    """A published release built by hand: agency A, its state and its operation."""
    release = Release.objects.create(
        name="access-matrix",
        version=1,
        title="Access matrix release",
        period_start=world.operation_a.start_date,
        period_end=world.operation_a.end_date,
        data_through=world.operation_a.end_date,
        parameters={"threshold": 10, "protection_width": 10, "unstable_below": 20},
        status=Release.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    arrests = {"name": "arrests", "title": "Arrests", "type": "integer", "kind": "count"}
    shown = {"arrests": {"suppressed": "", "unstable": False}}
    label = {"type": "string", "kind": "label"}
    tables = {
        "outcomes_by_agency": (
            [
                {"name": "agency", "title": "Agency", **label},
                {"name": "agency_key", "title": "Agency key", **label},
                {"name": "state", "title": "State", **label},
                {"name": "peer_group", "title": "Peer group", **label},
                arrests,
            ],
            [
                {"agency": "Agency A", "agency_key": "agency-a", "state": "CA", "arrests": 0},
                {"agency": "All agencies", "agency_key": "all", "state": "", "arrests": 0},
            ],
        ),
        "outcomes_by_state": (
            [{"name": "state", "title": "State", **label}, arrests],
            [{"state": "CA", "arrests": 0}],
        ),
        "operations": (
            [
                {"name": "operation", "title": "Operation", **label},
                {"name": "name", "title": "Name", **label},
                {"name": "agency_key", "title": "Agency key", **label},
                arrests,
            ],
            [
                {
                    "operation": world.operation_a.code,
                    "name": "A",
                    "agency_key": "agency-a",
                    "arrests": 0,
                }
            ],
        ),
        "funding_by_purpose": (
            [
                {"name": "jurisdiction", "title": "Jurisdiction", **label},
                {"name": "year", "title": "Year", **label},
                arrests,
            ],
            [{"jurisdiction": "CA", "year": "2020", "arrests": 0}],
        ),
    }
    for position, (slug, (columns, rows)) in enumerate(tables.items(), start=1):
        ReleaseTable.objects.create(
            release=release,
            position=position,
            slug=slug,
            title=slug,
            description=slug,
            provenance="computed",
            columns=columns,
            rows=rows,
            cells=[shown for _ in rows],
            proof=[{"arrests": {"atoms": []}} for _ in rows],
        )
    release.checksum = release.compute_checksum()
    release.save(update_fields=["checksum"])
    return release


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_answer_the_matrix_allows(
    client, world_with_records, persona
):
    user = world_with_records.personas[persona]
    if user is not None:
        sign_in_verified(client, user)
    wrong = []
    for name, row in ROWS.items():
        # A second row for one URL (another method) is keyed "name#method".
        url = reverse(name.partition("#")[0], args=row.args(world_with_records))
        status = getattr(client, row.method)(url).status_code
        if status != row.expected(persona):
            wrong.append(f"{name} ({url}): got {status}, expected {row.expected(persona)}")
    assert wrong == [], f"{persona}:\n" + "\n".join(wrong)
