"""``beyondraid demo_oversight``: open the demo's reporting channel — the oversight key, held by
the demo investigator, who also administers the demo oversight office, so that one account can
take a report from acknowledgement to closing.

The channel then holds what issue 22 counts: reports of abuse by officers triaged with the types
of misconduct the investigators found (R-145-R-160, R-171), and feedback from people encountered
or served, in English and Spanish, triaged with its answers and the organisation it concerns
(R-032, R-040, R-084, R-087, R-092). Each goes in through the reporting pages' own services:
sealed to the oversight key, acknowledged and triaged by the investigator, on days counted back
from today. Nothing sealed describes anyone: the words are invented.

Run by ``beyondraid demo`` after the demo accounts and providers exist; idempotent. The key's
passphrase is printed on purpose: the demo database is local and throw-away, and the demo refuses
production.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from beyondraid.accountability import services
from beyondraid.accountability.models import MisconductType, OversightKeyring, Report
from beyondraid.standard.models import Agency, Operation

# The demo account (beyondraid.accounts.management.commands.demo) that holds the key.
INVESTIGATOR = "investigator"
DEMO_KEY_PASSPHRASE = "demo-oversight-key-2026"  # noqa: S105 - printed by design, demo only
BAYVIEW = "Synthetic Bayview Police Department"
MESA_ALTA = "Synthetic Mesa Alta Police Department"

# Reports of abuse by officers: (days ago received, language, agency, in one of its operations,
# what the reporter chose and wrote, the types the investigator found).
MISCONDUCT_REPORTS = (
    (
        40,
        "en",
        BAYVIEW,
        True,
        ["property", "other"],
        "An officer took the cash from the till and said the case would go away if we paid more.",
        [MisconductType.BRIBERY, MisconductType.PROPERTY],
    ),
    (
        26,
        "es",
        BAYVIEW,
        True,
        ["threats", "denial_of_needs"],
        "Nos tuvieron encerradas toda la noche sin decir por qué ni hasta cuándo, sin llamar a "
        "nadie.",
        [MisconductType.CONFINEMENT, MisconductType.THREATS],
    ),
    (
        15,
        "en",
        MESA_ALTA,
        False,
        ["threats"],
        "They told me to sign a statement I could not read and to say I was never hurt.",
        [MisconductType.PRESSURE_TO_MISLEAD],
    ),
    (
        8,
        "es",
        MESA_ALTA,
        False,
        ["force", "other"],
        "Después de que denuncié, la policía volvió al lugar cada semana para amenazarnos.",
        [MisconductType.RETALIATION, MisconductType.FORCE],
    ),
)

# Feedback from people encountered or served: (days ago received, language, the organisation as
# the investigator found it, the four answers (rights explained, free to leave, without
# judgement, help needed), the comment, whether it carries a complaint).
FEEDBACK = (
    (
        35,
        "en",
        "Synthetic Safe Passage Survivor Services",
        ("yes", "yes", "yes", "yes"),
        "Staff spoke my language and I could come and go.",
        False,
    ),
    (
        30,
        "es",
        "Synthetic Casa Segura Refuge",
        ("yes", "no", "yes", "not_said"),
        "No podíamos salir del refugio sin permiso, ni siquiera para ver a mis hijos.",
        True,
    ),
    (
        22,
        "en",
        BAYVIEW,
        ("no", "no", "no", "not_said"),
        "Nobody told me what was happening or that I could ask for a lawyer.",
        True,
    ),
    (
        18,
        "es",
        "Synthetic Valley Workers' Legal Center",
        ("yes", "not_said", "yes", "yes"),
        "Me ayudaron con los papeles de inmigración y me explicaron todo en español.",
        False,
    ),
    (
        11,
        "en",
        MESA_ALTA,
        ("not_said", "yes", "no", "no"),
        "The officer kept asking what I had done wrong.",
        True,
    ),
    (
        4,
        "es",
        "Synthetic Safe Passage Survivor Services",
        ("yes", "yes", "yes", "no"),
        "Me trataron bien, pero necesitaba trabajo y no había ayuda para eso.",
        False,
    ),
)
# Acknowledged and triaged two days after a report came in, within the seven days for it.
TRIAGE_AFTER = datetime.timedelta(days=2)


class Command(BaseCommand):
    help = "Open the demo's anonymous reporting channel (run by `beyondraid demo`)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The demo key's passphrase is published: create the real key with "
                "`beyondraid oversight_key init` instead."
            )
        investigator = get_user_model().objects.filter(username=INVESTIGATOR).first()
        if investigator is None:
            raise CommandError("The demo accounts are missing: run `beyondraid demo`.")
        if not investigator.is_organisation_admin:
            investigator.is_organisation_admin = True
            investigator.save(update_fields=["is_organisation_admin"])
        if not OversightKeyring.objects.exists():
            services.create_keyring({investigator: DEMO_KEY_PASSPHRASE})
        self.stdout.write(
            f"Reporting channel open at /report/; the oversight key is held by "
            f"'{INVESTIGATOR}', passphrase {DEMO_KEY_PASSPHRASE} (demo only)."
        )
        if Report.objects.exists():
            self.stdout.write("The channel already holds reports; the demo adds none.")
            return
        today = timezone.localdate()
        with transaction.atomic():
            self._misconduct_reports(investigator, today)
            self._feedback(investigator, today)

    def _take_in(self, investigator, report: Report, **triage) -> None:
        on = report.received_on + TRIAGE_AFTER
        services.acknowledge(user=investigator, report=report, on=on)
        services.triage(user=investigator, report=report, **triage)

    def _misconduct_reports(self, investigator, today: datetime.date) -> None:
        types = set()
        for (
            days_ago,
            language,
            agency_name,
            in_operation,
            conduct,
            account,
            found,
        ) in MISCONDUCT_REPORTS:
            agency = Agency.objects.get(name=agency_name)
            # Linked to the agency's latest operation, so that the operation's figures count it.
            operation = (
                Operation.objects.filter(participants__agency=agency)
                .order_by("-start_date", "code")
                .first()
                if in_operation
                else None
            )
            submitted = services.submit_report(
                conduct=conduct,
                account=account,
                operation=operation.code if operation else "",
                language=language,
                today=today - datetime.timedelta(days=days_ago),
            )
            self._take_in(
                investigator,
                submitted.report,
                concerned_agency=agency,
                operation=operation,
                types=found,
            )
            types.update(found)
        self.stdout.write(
            f"Reports of abuse by officers: {len(MISCONDUCT_REPORTS)} triaged, of types "
            + ", ".join(sorted(types))
            + "."
        )

    def _feedback(self, investigator, today: datetime.date) -> None:
        for days_ago, language, organisation, answers, comment, complaint in FEEDBACK:
            # The person's answers, which the investigator records as read at triage.
            rights_explained, free_to_leave, without_judgement, help_needed = answers
            questions = {
                "rights_explained": rights_explained,
                "free_to_leave": free_to_leave,
                "without_judgement": without_judgement,
                "help_needed": help_needed,
            }
            submitted = services.submit_feedback(
                rights_explained=rights_explained,
                free_to_leave=free_to_leave,
                without_judgement=without_judgement,
                help_needed=help_needed,
                comment=comment,
                language=language,
                today=today - datetime.timedelta(days=days_ago),
            )
            self._take_in(
                investigator,
                submitted.report,
                concerned_agency=Agency.objects.get(name=organisation),
                **questions,
                complaint=complaint,
            )
        complaints = sum(1 for *_, complaint in FEEDBACK if complaint)
        self.stdout.write(
            f"Feedback: {len(FEEDBACK)} triaged, in English and Spanish, {complaints} with a "
            "complaint."
        )
