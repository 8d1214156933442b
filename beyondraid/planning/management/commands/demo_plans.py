"""``beyondraid demo_plans``: the demo's operation plans, one at each step of the review.

Run by ``beyondraid demo`` after the demo accounts exist. It writes, through the same services as
the browser, plans for the latest operations that the demo steward's agency led: one approved
after both reviews and tied to its operation (so the post-operation review has something to
compare), one returned with findings, one sweep, and one submitted and waiting for the
prosecutor's and the service partner's reviews. Idempotent: it does nothing once the steward has
plans.
"""

import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beyondraid.planning import services
from beyondraid.planning.models import Plan
from beyondraid.standard.models import Operation

EXAMPLES = settings.REPO_DIR / "docs" / "examples" / "plans"
# The demo accounts (beyondraid.accounts.management.commands.demo) that take part in a review.
WRITER, APPROVER, PROSECUTOR, CASEWORKER = "steward", "supervisor", "prosecutor", "caseworker"


def _example(name: str, start: datetime.date, end: datetime.date) -> dict:
    """An example plan moved to an operation's dates, with providers told a week before."""
    content = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    content |= {"planned_start": start.isoformat(), "planned_end": end.isoformat()}
    for notice in content.get("provider_notifications", []):
        notice["notified_on"] = (start - datetime.timedelta(days=7)).isoformat()
    for officer in content.get("personnel", []):
        if officer.get("implicit_bias_training_on"):
            officer["implicit_bias_training_on"] = (
                start - datetime.timedelta(days=200)
            ).isoformat()
    return content


class Command(BaseCommand):
    help = "Write the demo's operation plans (run by `beyondraid demo`)."

    def handle(self, *args, **options):
        users = get_user_model()
        try:
            writer, approver, prosecutor, caseworker = (
                users.objects.get(username=name)
                for name in (WRITER, APPROVER, PROSECUTOR, CASEWORKER)
            )
        except users.DoesNotExist:
            raise CommandError("The demo accounts are missing: run `beyondraid demo`.") from None
        if Plan.objects.filter(created_by=writer).exists():
            self.stdout.write("Demo plans already written.")
            return
        # Sweeps are left out: a recorded sweep is counted as one whatever its plan said.
        operations = (
            Operation.objects.filter(
                participants__part="lead", participants__agency_id=writer.organisation_id
            )
            .exclude(operation_type="sweep")
            .order_by("-start_date")
        )
        partners = {
            "prosecutor_office": prosecutor.organisation,
            "service_partner": caseworker.organisation,
        }

        def submitted(name: str, start, end, *, title: str = "", kind: str = "") -> Plan:
            content = _example(name, start, end)
            content["name"] = title or content["name"]
            content["operation_type"] = kind or content["operation_type"]
            # The examples name their own provider; the demo's is the caseworker's organisation.
            provider = caseworker.organisation.name
            content.get("aftercare", {})["provider"] = provider
            for notice in content.get("provider_notifications", []):
                notice["provider"] = provider
            plan = services.start_plan(user=writer, content=content, **partners)
            services.submit(user=writer, version=plan.latest)
            return plan

        def approve(plan: Plan) -> None:
            for reviewer in (prosecutor, caseworker):
                services.record_review(
                    user=reviewer,
                    version=plan.latest,
                    recommendation="approve",
                    comments="Evidence of coercion is documented; the care plan is in place.",
                )
            services.approve(user=approver, version=plan.latest, note="All findings met.")

        def return_(plan: Plan) -> None:
            services.record_review(
                user=prosecutor,
                version=plan.latest,
                recommendation="return",
                comments="No reliable evidence that a minor is involved; the interview plan puts "
                "people in the station the same night.",
            )
            services.return_plan(
                user=approver,
                version=plan.latest,
                note="Fix every blocking finding, starting with the evidence and the interview "
                "plan.",
            )

        # Each kept plan is tied to one of the agency's latest operations, as many as it has.
        written = []
        for operation, (example, decide, outcome) in zip(
            operations[:3],
            [
                ("justified", approve, "approved"),
                ("deficient", return_, "returned"),
                ("sweep", None, "a sweep"),
            ],
            strict=False,
        ):
            plan = submitted(
                example, operation.start_date, operation.end_date, kind=operation.operation_type
            )
            if decide:
                decide(plan)
            services.link_operation(user=writer, plan=plan, operation=operation)
            written.append(outcome)
        soon = datetime.date.today() + datetime.timedelta(days=21)
        submitted("justified", soon, soon, title="Operation Quiet Harbor")
        written.append("one awaiting review")
        self.stdout.write("Demo plans written: " + ", ".join(written) + ".")
