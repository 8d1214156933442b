"""Reporting abuse by officers, and carrying a report through its investigation.

The reporter's side (``submit_report``, ``find_report``, ``reporter_thread``, ``reporter_reply``)
runs without an account: what they write is sealed at once to the oversight key, and they come
back with the receipt alone. The investigators' side opens sealed text only with the private key
an investigator unlocked with their passphrase (``unlock_key``); every transition is dated,
checked against the state the report is in, and audited (``apps.AccountabilityConfig``).

Messages to the reporter are translated into the report's language where the text is the
system's own (the acknowledgement); what people write is never translated or altered.
"""

import datetime
import json
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from nacl.public import PrivateKey

from beyondraid.accounts.audit import record
from beyondraid.accounts.models import AuditEntry
from beyondraid.core import clocks
from beyondraid.standard.models import Agency, Operation

from . import permissions, receipts, sealing
from .models import (
    Channel,
    Conduct,
    FeedbackAnswer,
    FeedbackAnswers,
    Message,
    MisconductType,
    OfficerMark,
    OversightKeyring,
    Report,
    ReporterIs,
    ReportType,
)

ACCOUNT_MAX_CHARACTERS = 20_000
MESSAGE_MAX_CHARACTERS = 10_000
FIELD_MAX_CHARACTERS = 200
MAX_OFFICERS = 10
OFFICER_FIELDS = ("badge", "name", "unit")
# Identifiers that single out one officer; a unit names many, so it is never matched on.
MATCHED_OFFICER_FIELDS = ("badge", "name")


class ReportRefused(Exception):
    """A plain message saying what to change; never anything about another report."""


class ChannelNotReady(Exception):
    """No oversight key exists yet, so nothing could be sealed."""


class ReceiptNotFound(Exception):
    pass


RECEIPT_NOT_FOUND = gettext_lazy(
    "No report matches this receipt. Check it and try again; receipts are never sent or stored, "
    "so no one can look it up for you."
)


# --- The oversight keyring ----------------------------------------------------------------------


def keyring() -> sealing.Keyring:
    stored = OversightKeyring.objects.filter(pk=1).first()
    if stored is None:
        raise ChannelNotReady(
            gettext_lazy(
                "The reporting channel is not open yet: the oversight body has not created its "
                "key. Nothing you typed has been stored."
            )
        )
    return sealing.Keyring.from_dict(stored.data)


def _store_keyring(ring: sealing.Keyring) -> None:
    OversightKeyring.objects.update_or_create(pk=1, defaults={"data": ring.as_dict()})


def holder_id(user) -> str:
    return user.get_username()


def create_keyring(passphrases_by_user: dict) -> sealing.Keyring:
    """Create the oversight key, held by these investigators (user → passphrase). Refused when a
    key exists: replacing it would make every report sealed so far unreadable."""
    for user in passphrases_by_user:
        if not permissions.is_investigator(user):
            raise ReportRefused(f"{user.get_username()} is not an investigator.")
    if OversightKeyring.objects.exists():
        raise ReportRefused(
            "An oversight key already exists; add investigators to it instead of replacing it, "
            "or every report sealed so far would become unreadable."
        )
    try:
        ring = sealing.new_keyring(
            {holder_id(user): passphrase for user, passphrase in passphrases_by_user.items()}
        )
    except sealing.KeyringError as error:
        raise ReportRefused(str(error)) from None
    _store_keyring(ring)
    return ring


def add_key_holder(*, private_key: PrivateKey, user, passphrase: str) -> None:
    if not permissions.is_investigator(user):
        raise ReportRefused(f"{user.get_username()} is not an investigator.")
    try:
        _store_keyring(
            sealing.add_investigator(keyring(), private_key, holder_id(user), passphrase)
        )
    except sealing.KeyringError as error:
        raise ReportRefused(str(error)) from None


# Wrong passphrases an investigator may type in a row before unlocking is refused for a while:
# whoever sits at a signed-in session must not be able to try passphrases at leisure.
UNLOCK_FAILURES_ALLOWED = 5
UNLOCK_PAUSE_SECONDS = 15 * 60


def _unlock_failures(user) -> str:
    return f"oversight-unlock-failures:{user.pk}"


def unlock_key(*, user, passphrase: str) -> PrivateKey:
    """The private key, in memory, for an investigator who holds a copy and typed its
    passphrase. Every attempt is in the audit log; after ``UNLOCK_FAILURES_ALLOWED`` wrong ones,
    unlocking is refused for ``UNLOCK_PAUSE_SECONDS``."""
    if not permissions.is_investigator(user):
        raise ReportRefused("Only investigators hold the oversight key.")
    if cache.get(_unlock_failures(user), 0) >= UNLOCK_FAILURES_ALLOWED:
        raise ReportRefused(
            f"Too many wrong passphrases: try again in {UNLOCK_PAUSE_SECONDS // 60} minutes."
        )
    try:
        private_key = sealing.unlock(keyring(), holder_id(user), passphrase)
    except (sealing.WrongPassphrase, sealing.NotAKeyHolder) as error:
        cache.add(_unlock_failures(user), 0, timeout=UNLOCK_PAUSE_SECONDS)
        cache.incr(_unlock_failures(user))
        record(AuditEntry.Action.KEY_UNLOCK_FAILED, object_label="oversight key", user=user)
        raise ReportRefused(str(error)) from None
    cache.delete(_unlock_failures(user))
    record(AuditEntry.Action.KEY_UNLOCKED, object_label="oversight key", user=user)
    return private_key


# --- The reporter's side ------------------------------------------------------------------------


def _clean_text(value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ReportRefused(
            _("%(label)s is too long: %(length)s characters, at most %(limit)s.")
            % {"label": label, "length": f"{len(value):,}", "limit": f"{limit:,}"}
        )
    return value


def _clean_officers(officers) -> list[dict]:
    cleaned = []
    for position, officer in enumerate(officers or (), start=1):
        entry = {
            name: _clean_text(
                officer.get(name, ""),
                _("Officer %(n)s: %(field)s") % {"n": position, "field": name},
                FIELD_MAX_CHARACTERS,
            )
            for name in OFFICER_FIELDS
        }
        if any(entry.values()):
            cleaned.append(entry)
    if len(cleaned) > MAX_OFFICERS:
        raise ReportRefused(
            _("Name at most %(limit)s officers in one report.") % {"limit": MAX_OFFICERS}
        )
    return cleaned


def _officer_digests(officers: list[dict]) -> set[str]:
    return {
        sealing.keyed_hash(settings.REPORT_MATCHING_KEY, f"{field} {officer[field]}")
        for officer in officers
        for field in MATCHED_OFFICER_FIELDS
        if sealing.normalise_identifier(officer[field])
    }


@dataclass(frozen=True)
class Submitted:
    report: Report
    receipt: str


def submit_report(
    *,
    conduct,
    account: str = "",
    when: str = "",
    where: str = "",
    operation: str = "",
    officers=(),
    reporter_is: str = "",
    receipt_kind: str = receipts.ReceiptKind.PASSPHRASE,
    language: str = "en",
    today: datetime.date | None = None,
) -> Submitted:
    """Seal a report to the oversight key and return it with its receipt, which is shown once
    and never stored. All or nothing: a refused report leaves no trace."""
    conduct = list(dict.fromkeys(conduct or ()))
    unknown = [code for code in conduct if code not in Conduct.values]
    if unknown:
        raise ReportRefused(_("Choose what happened from the list."))
    account = _clean_text(account, _("What happened"), ACCOUNT_MAX_CHARACTERS)
    if not conduct and not account:
        raise ReportRefused(
            _("Tell us what happened: choose at least one item from the list or describe it.")
        )
    if reporter_is not in ReporterIs.values:
        raise ReportRefused(_("Choose who you are from the list, or leave it unanswered."))
    details = {
        name: _clean_text(value, label, FIELD_MAX_CHARACTERS)
        for name, value, label in (
            ("when", when, _("When")),
            ("where", where, _("Where")),
            ("operation", operation, _("The operation")),
        )
    }
    officers = _clean_officers(officers)
    content = {
        "conduct": conduct,
        "account": account,
        **details,
        "officers": officers,
        "reporter_is": reporter_is,
    }
    return _seal_and_store(
        content,
        channel=Channel.MISCONDUCT,
        receipt_kind=receipt_kind,
        language=language,
        received_on=today or timezone.localdate(),
        officers=officers,
    )


# The questions of the feedback page, named as the investigator records their answers at triage
# (``FeedbackAnswers``).
FEEDBACK_QUESTIONS = ("rights_explained", "free_to_leave", "without_judgement", "help_needed")
# How many years back the feedback page offers: a person may find the page long after they were
# served, but a year further back would rarely be remembered to the month.
FEEDBACK_YEARS = 10


def _feedback_when(month: int | None, year: int | None, today: datetime.date) -> str:
    """The month and year a feedback is about, as "2026-03" or "2026": never the day, which
    with the organisation's records could single the person out."""
    if month is None and year is None:
        return ""
    if year is None:
        raise ReportRefused(_("When: choose the year as well as the month, or leave both empty."))
    if not today.year - FEEDBACK_YEARS <= year <= today.year:
        raise ReportRefused(_("When: choose a year from the list."))
    if month is None:
        return str(year)
    if not 1 <= month <= 12:
        raise ReportRefused(_("When: choose a month from the list."))
    if (year, month) > (today.year, today.month):
        raise ReportRefused(_("When: that month has not come yet."))
    return f"{year}-{month:02d}"


def submit_feedback(
    *,
    rights_explained: str = "",
    free_to_leave: str = "",
    without_judgement: str = "",
    help_needed: str = "",
    organisation: str = "",
    month: int | None = None,
    year: int | None = None,
    comment: str = "",
    receipt_kind: str = receipts.ReceiptKind.PASSPHRASE,
    language: str = "en",
    today: datetime.date | None = None,
) -> Submitted:
    """Seal the feedback of a person who was encountered or served to the oversight key, as a
    report is sealed, and return it with its receipt (issue 22): the person's own assessment
    (R-040: "did anyone make you feel scared or uncomfortable, or make you feel safe?"), rights
    explained in their language (R-084), confinement in a shelter (R-087: "the women can't just
    leave") and non-judgmental practice (R-092). Each question is answered yes, no or
    "not_said", or left empty; the organisation is in the person's own words, and the
    investigator sets the organisation the feedback concerns at triage."""
    today = today or timezone.localdate()
    answers = {
        "rights_explained": rights_explained or "",
        "free_to_leave": free_to_leave or "",
        "without_judgement": without_judgement or "",
        "help_needed": help_needed or "",
    }
    if any(answer not in (*FeedbackAnswer.values, "") for answer in answers.values()):
        raise ReportRefused(_("Answer each question with one of its choices, or leave it empty."))
    organisation = _clean_text(organisation, _("The organisation"), FIELD_MAX_CHARACTERS)
    comment = _clean_text(comment, _("Your comment"), ACCOUNT_MAX_CHARACTERS)
    said = {FeedbackAnswer.YES, FeedbackAnswer.NO}
    if not comment and not any(answer in said for answer in answers.values()):
        raise ReportRefused(
            _("Tell us something: answer at least one question with Yes or No, or write a comment.")
        )
    content = {
        "answers": answers,
        "organisation": organisation,
        "when": _feedback_when(month, year, today),
        # The person's own words, under the key a report's account has.
        "account": comment,
    }
    return _seal_and_store(
        content,
        channel=Channel.FEEDBACK,
        receipt_kind=receipt_kind,
        language=language,
        received_on=today,
    )


def _seal_and_store(
    content: dict,
    *,
    channel: str,
    receipt_kind: str,
    language: str,
    received_on: datetime.date,
    officers: list[dict] | None = None,
) -> Submitted:
    """Seal what a person sent to the oversight key and store it under a new receipt, dated to
    the day only; the receipt is returned to be shown once and is never stored."""
    ring = keyring()
    sealed = sealing.seal(ring.public_key, json.dumps(content, ensure_ascii=False).encode())
    receipt = receipts.new_receipt(receipt_kind)
    keys = receipts.keys_for(receipt, settings.REPORT_RECEIPT_PEPPER)
    with transaction.atomic():
        report = Report.objects.create(
            lookup=keys.lookup,
            reader_key=keys.reader_public,
            sealed=sealed,
            channel=channel,
            language=language,
            received_on=received_on,
        )
        OfficerMark.objects.bulk_create(
            OfficerMark(report=report, digest=digest) for digest in _officer_digests(officers or [])
        )
    return Submitted(report=report, receipt=receipt)


def find_report(receipt: str) -> tuple[Report, receipts.ReceiptKeys]:
    """The report a receipt belongs to, and the keys the receipt gives. A malformed receipt
    raises ``receipts.MalformedReceipt``; one that matches nothing, ``ReceiptNotFound`` — the
    same answer whether or not reports exist, so guessing learns nothing."""
    keys = receipts.keys_for(receipt, settings.REPORT_RECEIPT_PEPPER)
    report = Report.objects.filter(lookup=keys.lookup).first()
    if report is None:
        raise ReceiptNotFound(RECEIPT_NOT_FOUND)
    return report, keys


@dataclass(frozen=True)
class ThreadMessage:
    author: str
    author_label: str
    sent_on: datetime.date
    text: str
    is_feedback: bool


def reporter_thread(report: Report, keys: receipts.ReceiptKeys) -> list[ThreadMessage]:
    return [
        ThreadMessage(
            author=message.author,
            author_label=message.get_author_display(),
            sent_on=message.sent_on,
            text=sealing.open_sealed(keys.reader, bytes(message.for_reporter)).decode(),
            is_feedback=message.is_feedback,
        )
        for message in report.messages.all()
    ]


def _seal_message(report: Report, text: str, **fields) -> Message:
    body = text.encode()
    return Message.objects.create(
        report=report,
        for_oversight=sealing.seal(keyring().public_key, body),
        for_reporter=sealing.seal(bytes(report.reader_key), body),
        **fields,
    )


def reporter_reply(report: Report, text: str, *, today: datetime.date | None = None) -> Message:
    if report.state == Report.State.CLOSED:
        raise ReportRefused(
            _(
                "This report is closed and can no longer receive messages. You can send a new "
                "report at any time."
            )
        )
    text = _clean_text(text, _("Your message"), MESSAGE_MAX_CHARACTERS)
    if not text:
        raise ReportRefused(_("Write your message before sending it."))
    return _seal_message(
        report, text, author=Message.Author.REPORTER, sent_on=today or timezone.localdate()
    )


# --- The investigators' side --------------------------------------------------------------------


def read_report(*, user, private_key: PrivateKey, report: Report) -> dict:
    """What the reporter wrote, opened for an investigator who may see the report; the read is
    audited."""
    _require(
        permissions.visible_reports(user).filter(pk=report.pk).exists(),
        "You cannot see this report.",
    )
    content = json.loads(sealing.open_sealed(private_key, bytes(report.sealed)))
    record(AuditEntry.Action.VIEW, instance=report, user=user)
    return content


def investigator_thread(*, private_key: PrivateKey, report: Report) -> list[ThreadMessage]:
    return [
        ThreadMessage(
            author=message.author,
            author_label=(
                message.sent_by.get_username()
                if message.sent_by
                else str(gettext_lazy("The reporter"))
            ),
            sent_on=message.sent_on,
            text=sealing.open_sealed(private_key, bytes(message.for_oversight)).decode(),
            is_feedback=message.is_feedback,
        )
        for message in report.messages.select_related("sent_by")
    ]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ReportRefused(message)


def _in_state(report: Report, *states: str) -> None:
    if report.state not in states:
        wanted = " or ".join(str(Report.State(state).label).lower() for state in states)
        raise ReportRefused(
            f"This report is {report.get_state_display().lower()}; this step needs it to be "
            f"{wanted}."
        )


def _dated(day: datetime.date | None, after: datetime.date, what: str) -> datetime.date:
    day = day or timezone.localdate()
    _require(day >= after, f"{what} cannot be dated before {after}.")
    _require(day <= timezone.localdate(), f"{what} cannot be dated in the future.")
    return day


def send_message(
    *, user, report: Report, text: str, is_feedback: bool = False, today=None
) -> Message:
    _require(permissions.may_investigate(user, report), "You cannot write on this report.")
    _require(report.state != Report.State.CLOSED, "This report is closed.")
    _require(
        not is_feedback or report.acknowledged_on is not None,
        "Acknowledge the report before giving feedback on what was done.",
    )
    text = (text or "").strip()
    _require(bool(text), "Write the message before sending it.")
    _require(
        len(text) <= MESSAGE_MAX_CHARACTERS,
        f"The message is too long: at most {MESSAGE_MAX_CHARACTERS:,} characters.",
    )
    today = today or timezone.localdate()
    with transaction.atomic():
        message = _seal_message(
            report,
            text,
            author=Message.Author.INVESTIGATOR,
            sent_by=user,
            sent_on=today,
            is_feedback=is_feedback,
        )
        if is_feedback and report.feedback_on is None:
            report.feedback_on = today
            report.save(update_fields=["feedback_on"])
    return message


def _acknowledgement(report: Report) -> str:
    with translation.override(report.language):
        if report.channel == Channel.FEEDBACK:
            return _(
                "Your feedback has been received by the oversight body and will be read by an "
                "investigator independent of the organisations it concerns. Come back with your "
                "receipt to read our questions and to tell us more."
            )
        return _(
            "Your report has been received by the oversight body and will be looked at by an "
            "investigator independent of the agency it concerns. Come back with your receipt to "
            "read our questions and to tell us more."
        )


def acknowledge(*, user, report: Report, on: datetime.date | None = None) -> Report:
    """Acknowledge receipt: the reporter reads an acknowledgement in their language."""
    _require(permissions.may_manage_intake(user), "Only an oversight administrator acknowledges.")
    _in_state(report, Report.State.RECEIVED)
    on = _dated(on, report.received_on, "The acknowledgement")
    with transaction.atomic():
        report.state, report.acknowledged_on = Report.State.ACKNOWLEDGED, on
        report.save(update_fields=["state", "acknowledged_on"])
        _seal_message(
            report,
            _acknowledgement(report),
            author=Message.Author.INVESTIGATOR,
            sent_by=user,
            sent_on=on,
        )
    return report


def feedback_question(name: str) -> str:
    """One question of the feedback page, as the investigators read it ("Did they feel free to
    leave?")."""
    return str(FeedbackAnswers._meta.get_field(name).help_text)


def _clean_types(types) -> list[str]:
    types = list(dict.fromkeys(types or ()))
    _require(
        all(code in MisconductType.values for code in types),
        "Choose the types of misconduct from the list.",
    )
    return types


def _set_types(report: Report, types: list[str]) -> None:
    """Keep the types still chosen, so that the audit log shows only what changed."""
    report.types.exclude(type__in=types).delete()
    kept = set(report.types.values_list("type", flat=True))
    for code in types:
        if code not in kept:
            ReportType.objects.create(report=report, type=code)


def _triage_answers(report: Report, answers: dict, complaint: bool) -> dict:
    """The answers a triage records: every question answered for a feedback, none for a report
    of abuse by officers (whose types say what it is about)."""
    if report.channel != Channel.FEEDBACK:
        _require(
            not any(answers.values()) and not complaint,
            "The answers to the feedback questions and the complaint are recorded only for a "
            "feedback; this is a report of abuse by officers: leave them out.",
        )
        return {}
    for name, answer in answers.items():
        _require(
            answer in FeedbackAnswer.values,
            f"Answer “{feedback_question(name)}”: yes, no or not said.",
        )
    return {**answers, "complaint": bool(complaint)}


def triage(
    *,
    user,
    report: Report,
    concerned_agency: Agency | None,
    concerned_unit: str = "",
    operation: Operation | None = None,
    types=(),
    rights_explained: str = "",
    free_to_leave: str = "",
    without_judgement: str = "",
    help_needed: str = "",
    complaint: bool = False,
) -> Report:
    """Record which agency, unit and operation the report concerns, as read from it, and what it
    is about: for a report of abuse by officers the types of misconduct (R-171: counted by agency
    and type), for a feedback the answers to its questions and whether it carries a complaint.
    Both are the investigators' reading, never taken by the system from the sealed text. All or
    nothing."""
    _require(permissions.may_manage_intake(user), "Only an oversight administrator triages.")
    _in_state(report, Report.State.ACKNOWLEDGED, Report.State.TRIAGED)
    is_feedback = report.channel == Channel.FEEDBACK
    _require(
        concerned_agency is not None,
        "Name the organisation the feedback concerns; choose the closest if unsure."
        if is_feedback
        else "Name the agency whose officers the report concerns; choose the closest if unsure.",
    )
    if operation is not None:
        _require(
            operation.participants.filter(agency=concerned_agency).exists(),
            f"{concerned_agency} took no part in operation {operation.code}.",
        )
    types = _clean_types(types)
    if is_feedback:
        _require(
            not types,
            "A feedback has no types of misconduct: record the answers to its questions instead.",
        )
    else:
        _require(bool(types), "Choose at least one type of misconduct the report is about.")
    answers = _triage_answers(
        report,
        {
            "rights_explained": rights_explained or "",
            "free_to_leave": free_to_leave or "",
            "without_judgement": without_judgement or "",
            "help_needed": help_needed or "",
        },
        complaint,
    )
    with transaction.atomic():
        report.concerned_agency = concerned_agency
        report.concerned_unit = concerned_unit.strip()[:120]
        report.operation = operation
        report.state = Report.State.TRIAGED
        report.save(update_fields=["concerned_agency", "concerned_unit", "operation", "state"])
        if is_feedback:
            FeedbackAnswers.objects.update_or_create(report=report, defaults=answers)
        else:
            _set_types(report, types)
    return report


def correct_types(*, user, report: Report, types) -> Report:
    """Correct the types of misconduct a triaged report is about, as an investigator's reading
    of it changes; the statistics by agency and type count the corrected ones."""
    _require(permissions.may_investigate(user, report), "You cannot act on this report.")
    _require(
        report.channel == Channel.MISCONDUCT,
        "A feedback has no types of misconduct to correct.",
    )
    _require(
        report.state not in (Report.State.RECEIVED, Report.State.ACKNOWLEDGED),
        "Triage the report before correcting its types.",
    )
    types = _clean_types(types)
    _require(bool(types), "Choose at least one type of misconduct the report is about.")
    _require(
        set(types) != set(report.types.values_list("type", flat=True)),
        "These are already the report's types: change at least one.",
    )
    with transaction.atomic():
        _set_types(report, types)
    return report


def assign(*, user, report: Report, investigator) -> Report:
    """Assign an investigator, never one who works for the agency the report concerns."""
    _require(permissions.may_manage_intake(user), "Only an oversight administrator assigns.")
    _in_state(report, Report.State.TRIAGED, Report.State.ASSIGNED)
    _require(
        permissions.is_investigator(investigator) and investigator.is_active,
        f"{investigator.get_username()} is not an active investigator.",
    )
    _require(
        investigator.organisation_id != report.concerned_agency_id,
        f"{investigator.get_username()} works for {report.concerned_agency}, the agency this "
        "report concerns: assign an investigator independent of it.",
    )
    report.assigned_to, report.state = investigator, Report.State.ASSIGNED
    report.save(update_fields=["assigned_to", "state"])
    return report


def start_investigation(*, user, report: Report) -> Report:
    _require(permissions.may_investigate(user, report), "You cannot act on this report.")
    _in_state(report, Report.State.ASSIGNED)
    report.state = Report.State.INVESTIGATING
    report.save(update_fields=["state"])
    return report


def adjudicate(*, user, report: Report, finding: str, on: datetime.date | None = None) -> Report:
    _require(permissions.may_investigate(user, report), "You cannot act on this report.")
    _in_state(report, Report.State.INVESTIGATING)
    _require(finding in Report.Finding.values, "Choose the finding from the list.")
    report.adjudicated_on = _dated(on, report.received_on, "The finding")
    report.finding = finding
    report.state = Report.State.ADJUDICATED
    report.save(update_fields=["finding", "adjudicated_on", "state"])
    return report


def decide_action(*, user, report: Report, action: str, on: datetime.date | None = None) -> Report:
    _require(permissions.may_investigate(user, report), "You cannot act on this report.")
    _in_state(report, Report.State.ADJUDICATED)
    _require(action in Report.Action.values, "Choose the action from the list.")
    report.action_on = _dated(on, report.adjudicated_on, "The action")
    report.action = action
    report.state = Report.State.ACTION
    report.save(update_fields=["action", "action_on", "state"])
    return report


def close(*, user, report: Report, on: datetime.date | None = None) -> Report:
    """Close the case; it is kept for the retention of its finding (settings)."""
    _require(permissions.may_investigate(user, report), "You cannot act on this report.")
    _in_state(report, Report.State.ACTION)
    report.closed_on = _dated(on, report.action_on, "The closing")
    years = settings.REPORT_RETENTION_YEARS[report.finding]
    report.keep_until = report.closed_on + relativedelta(years=years)
    report.state = Report.State.CLOSED
    report.save(update_fields=["closed_on", "keep_until", "state"])
    return report


def extend_retention(*, user, report: Report, keep_until: datetime.date, reason: str) -> Report:
    _require(permissions.may_manage_intake(user), "Only an oversight administrator extends.")
    _in_state(report, Report.State.CLOSED)
    _require(
        keep_until > report.keep_until,
        f"An extension keeps the report past {report.keep_until}; choose a later date.",
    )
    reason = (reason or "").strip()
    _require(bool(reason), "Say why the report is kept longer.")
    with transaction.atomic():
        report.extensions.create(
            keep_until=keep_until,
            reason=reason,
            recorded_by=user,
            recorded_on=timezone.localdate(),
        )
        report.keep_until = keep_until
        report.save(update_fields=["keep_until"])
    return report


def past_retention(today: datetime.date | None = None):
    """Closed reports kept past the retention of their finding and its recorded extensions."""
    return Report.objects.filter(
        state=Report.State.CLOSED, keep_until__lt=today or timezone.localdate()
    )


def purge_expired(today: datetime.date | None = None) -> list[str]:
    """Delete the reports past their retention, with their messages, officer marks and
    extensions; each deletion is in the audit log. Returns their references."""
    expired = list(past_retention(today))
    with transaction.atomic():
        for report in expired:
            report.delete()
    return [report.reference for report in expired]


# --- Clocks -------------------------------------------------------------------------------------


def acknowledgement_clock(report: Report) -> clocks.Clock:
    return clocks.Clock(
        clocks.rule("misconduct-acknowledgement", settings.CLOCK_OVERRIDES),
        report.received_on,
        met_on=report.acknowledged_on,
    )


def feedback_clock(report: Report) -> clocks.Clock:
    """Three months from the acknowledgement or, when none was sent, from the end of the seven
    days for it (the rule's note)."""
    start = report.acknowledged_on or acknowledgement_clock(report).due_on
    return clocks.Clock(
        clocks.rule("misconduct-feedback", settings.CLOCK_OVERRIDES),
        start,
        met_on=report.feedback_on,
    )
