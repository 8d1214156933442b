"""``beyondraid demo_follow_through``: the situations issue 22 follows through on, recorded on
the demo's synthetic people, so that each of its alerts and counts has something to show.

- Continued Presence (R-101-R-103): a request pending past the ``continued-presence-decision``
  setting; a grant whose document was handed over 120 days after it, with its term ending
  within the renewal reminder; a renewal of an older grant;
- a suspected victim held in detention (R-109);
- a referral to immigration of a person whose role was never assessed and who was never screened
  (R-072), and a referral the day after a screening, which is not one;
- harms after the operation: two Notices to Appear, a removal order, a family separated and a
  risk of violence at home (R-162, R-206, R-207);
- placements: a shelter the person is free to leave with a phone and staff who speak their
  language, a locked shelter they may not leave, and a hotel with a 30-day limit (R-029, R-086);
- offers to cooperate: one law enforcement has not answered in 20 days, one it answered five
  days later that it needs no cooperation (R-104, R-112).

Everything is recorded by the demo steward of Synthetic Bayview Police Department through the
services that check each record (``full_clean``), on people of that agency's operations picked
by their role in code order, on days counted back from today, so that every run holds the same
situations with the same clocks. The one record made rather than picked is the person of
unknown role: the synthetic operations assess everyone they meet.

Run by ``beyondraid demo`` after ``demo_network``; idempotent.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from beyondraid.care import services
from beyondraid.care.models import Answer, Harm, Placement, ReliefRequest
from beyondraid.standard import access
from beyondraid.standard import services as standard_services
from beyondraid.standard.models import (
    Agency,
    CooperationRecord,
    Encounter,
    Operation,
    TreatmentEvent,
)
from beyondraid.standard.selectors import with_current_role

# The demo accounts (beyondraid.accounts.management.commands.demo) that record.
STEWARD = "steward"
# The demo's provider with an account (demo_network): the shelter people are free to leave.
PROVIDER = "Synthetic Safe Passage Survivor Services"
# Marks the standard records this command makes, so that a second run finds them.
SOURCE_REFERENCE = "beyondraid demo, follow-through (issue 22)"
VICTIMS = ("suspected_victim", "confirmed_victim")
# People who may need immigration relief: neither citizens nor of unknown status.
FOREIGN = ("undocumented", "other_lawful_status", "lawful_permanent_resident")
DAY = datetime.timedelta(days=1)


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def _screened() -> Exists:
    return Exists(TreatmentEvent.objects.filter(encounter=OuterRef("pk"), kind="screened"))


class _TooFewPeople(Exception):
    """Every person of the roles a situation needs is already another situation's."""


class Command(BaseCommand):
    help = "Record the demo's Continued Presence, harms, placements and offers to cooperate."

    def handle(self, *args, **options):
        steward = get_user_model().objects.filter(username=STEWARD).first()
        if steward is None:
            raise CommandError("The demo accounts are missing: run `beyondraid demo`.")
        if TreatmentEvent.objects.filter(source_reference=SOURCE_REFERENCE).exists():
            self.stdout.write("The demo's follow-through situations are already recorded.")
            return
        self.steward = steward
        self.today = timezone.localdate()
        self.used: set[int] = set()
        try:
            with transaction.atomic():
                self._continued_presence()
                self._detention()
                self._immigration_referrals()
                self._harms()
                self._placements()
                self._cooperation()
        except _TooFewPeople:
            # A demo cut down to a single operation (the tests that are about something else)
            # holds too few people to give each situation its own: it records none of them.
            self.stdout.write(
                "The follow-through situations are not recorded: the synthetic data has too few "
                "people for them."
            )

    # Picking people --------------------------------------------------------------------------

    def _people(
        self, roles: tuple[str, ...] = VICTIMS, *, foreign: bool = False
    ) -> QuerySet[Encounter]:
        """The steward's people of these current roles, in code order (the codes come from the
        seeded synthetic data, so the order is the same on every run)."""
        people = (
            with_current_role(access.encounters_for(self.steward))
            # In a Q: the type checker knows the model's fields, not the annotation.
            .filter(Q(current_role_code__in=roles))
            .order_by("code")
        )
        return people.filter(citizenship_status__in=FOREIGN) if foreign else people

    def _pick(self, people: QuerySet[Encounter]) -> Encounter:
        """The first of these people not picked yet: each situation is another person's."""
        person = people.exclude(pk__in=self.used).first()
        if person is None:
            raise _TooFewPeople
        self.used.add(person.pk)
        return person

    def _provenance(self) -> dict:
        return {"source": "import", "source_reference": SOURCE_REFERENCE}

    # Situations ------------------------------------------------------------------------------

    def _continued_presence(self) -> None:
        today, steward = self.today, self.steward
        no_relief = self._people(foreign=True).filter(relief_requests__isnull=True)
        pending = self._pick(no_relief)
        services.record_relief_request(
            user=steward,
            encounter=pending,
            kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
            requested_on=today - _days(45),
        )
        # Granted so that its two-year term ends in 60 days, inside the 90-day reminder.
        granted_on = today - relativedelta(years=2) + _days(60)
        late = self._grant(self._pick(no_relief), granted_on)
        services.record_document_handed_over(
            user=steward, request=late, document_given_on=granted_on + _days(120)
        )
        older_on = today - relativedelta(years=2) + _days(30)
        older = self._grant(self._pick(no_relief), older_on)
        services.record_document_handed_over(
            user=steward, request=older, document_given_on=older_on + _days(7)
        )
        renewal = services.record_relief_request(
            user=steward,
            encounter=older.encounter,
            kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
            requested_on=today - _days(70),
            renews=older,
        )
        services.decide_relief_request(
            user=steward,
            request=renewal,
            status=ReliefRequest.Status.GRANTED,
            decided_on=today - _days(48),
        )
        self.stdout.write(
            f"Continued Presence: {pending.code} pending 45 days; {late.encounter.code} granted "
            f"on {granted_on}, handed over 120 days later; {older.encounter.code} renewed."
        )

    def _grant(self, person: Encounter, granted_on: datetime.date) -> ReliefRequest:
        request = services.record_relief_request(
            user=self.steward,
            encounter=person,
            kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
            requested_on=granted_on - _days(21),
        )
        return services.decide_relief_request(
            user=self.steward,
            request=request,
            status=ReliefRequest.Status.GRANTED,
            decided_on=granted_on,
        )

    def _detention(self) -> None:
        person = self._pick(
            self._people(("suspected_victim",)).exclude(treatment_events__kind="detained")
        )
        standard_services.record_treatment_event(
            encounter=person,
            kind="detained",
            occurred_on=person.encountered_on + DAY,
            **self._provenance(),
        )
        self.stdout.write(f"Detention: suspected victim {person.code} detained.")

    def _immigration_referrals(self) -> None:
        # The latest operation of the steward's agency met one more person, whose role nobody
        # assessed and whom nobody screened.
        operation = (
            Operation.objects.filter(participants__agency=self.steward.organisation)
            .order_by("-start_date", "code")
            .first()
        )
        if operation is None:
            raise CommandError("The synthetic operations are missing: run `beyondraid demo`.")
        unknown = standard_services.record_encounter(
            operation=operation,
            encountered_on=operation.start_date,
            role="unknown",
            role_basis="other",
            citizenship_status="undocumented",
            primary_language="es",
            interpreter="needed_not_provided",
            data_origin="synthetic",
            **self._provenance(),
        )
        standard_services.record_treatment_event(
            encounter=unknown,
            kind="immigration_referral",
            occurred_on=operation.start_date,
            **self._provenance(),
        )
        near = self._pick(
            self._people(("adult_in_commercial_sex",))
            .filter(_screened())
            .exclude(treatment_events__kind="immigration_referral")
        )
        screened_on = (
            near.treatment_events.filter(kind="screened").earliest("occurred_on").occurred_on
        )
        standard_services.record_treatment_event(
            encounter=near,
            kind="immigration_referral",
            occurred_on=screened_on + DAY,
            **self._provenance(),
        )
        self.stdout.write(
            f"Referrals to immigration: {unknown.code} (role unknown) never screened; "
            f"{near.code} referred the day after a screening."
        )

    def _harm(self, person: Encounter, kind: str, after_days: int) -> Harm:
        return services.record_harm(
            user=self.steward,
            encounter=person,
            kind=kind,
            occurred_on=person.encountered_on + _days(after_days),
        )

    def _harms(self) -> None:
        # Screened people, so that each harm stands for itself, not for a missed screening.
        screened_foreign = self._people(foreign=True).filter(_screened())
        first, second = self._pick(screened_foreign), self._pick(screened_foreign)
        self._harm(first, Harm.Kind.NOTICE_TO_APPEAR, 3)
        self._harm(first, Harm.Kind.REMOVAL_ORDERED, 200)
        self._harm(second, Harm.Kind.NOTICE_TO_APPEAR, 10)
        separated = self._pick(self._people())
        self._harm(separated, Harm.Kind.FAMILY_SEPARATION, 1)
        at_risk = self._pick(self._people())
        self._harm(at_risk, Harm.Kind.VIOLENCE_RISK, 30)
        self.stdout.write(
            f"Harms: Notices to Appear for {first.code} and {second.code}, then removal ordered "
            f"for {first.code}; {separated.code} separated from family; {at_risk.code} at risk "
            "of violence at home."
        )

    def _placements(self) -> None:
        provider = Agency.objects.get(name=PROVIDER)
        free, locked, hotel = (self._pick(self._people()) for _ in range(3))
        for person, setting, conditions, days, kept in (
            (
                free,
                Placement.Setting.SHELTER,
                (Answer.YES, Answer.YES, Answer.YES, Answer.NO),
                90,
                provider,
            ),
            (
                locked,
                Placement.Setting.SHELTER,
                (Answer.NO, Answer.NO, Answer.UNKNOWN, Answer.YES),
                21,
                None,
            ),
            (
                hotel,
                Placement.Setting.HOTEL,
                (Answer.YES, Answer.YES, Answer.NO, Answer.NO),
                30,
                None,
            ),
        ):
            free_to_leave, phone, language, is_locked = conditions
            services.record_placement(
                user=self.steward,
                encounter=person,
                setting=setting,
                free_to_leave=free_to_leave,
                phone_access=phone,
                staff_speak_language=language,
                locked=is_locked,
                placed_on=person.encountered_on + DAY,
                ended_on=person.encountered_on + DAY + _days(days),
                provider=kept,
                time_limit_days=30 if person is hotel else None,
            )
        self.stdout.write(
            f"Placements: {free.code} in a shelter free to leave; {locked.code} in a locked "
            f"shelter; {hotel.code} in a hotel with a 30-day limit."
        )

    def _cooperation(self) -> None:
        never_recorded = self._people().exclude(
            Exists(CooperationRecord.objects.filter(encounter=OuterRef("pk")))
        )
        waiting, answered = self._pick(never_recorded), self._pick(never_recorded)
        for person, status, days_ago in (
            (waiting, "offered", 20),
            (answered, "offered", 40),
            (answered, "not_needed", 35),
        ):
            standard_services.record_cooperation(
                encounter=person,
                status=status,
                recorded_on=self.today - _days(days_ago),
                **self._provenance(),
            )
        self.stdout.write(
            f"Offers to cooperate: {waiting.code} unanswered for 20 days; {answered.code} told "
            "five days later that no cooperation is needed."
        )
