"""Live indicators for oversight analysts: the uniform indicators of Rec 3.2, the outcome and harm
measures, disparities and data completeness.

Every figure is counted by the database: each level runs a handful of grouped queries over
``facts.encounter_facts()`` (``values(<unit>).annotate(Count(..., filter=...))``), over funding
allocations and over published aggregate figures, and Python only divides the counts it gets
back. What a fact means (a victim, an arrest, an arrest category, an operation's year, state and
agency) is decided once in ``facts``; this module decides what each indicator counts with those
facts, and says so in plain language in ``INDICATORS``.

These figures are live and not disclosure-checked, so they are for signed-in analysts only; the
public reads releases (principle 5, docs/principles.md).

Published aggregate figures (``AggregateFigure``) answer the indicators they can, each value with
its citation. They are added up only within one published table, whose operations are distinct
years; figures of different tables are shown side by side and never added, because the tables
overlap (the statewide figures include Los Angeles County). They are never mixed with figures
computed from person-level records either: each value has one provenance.
"""

import datetime
import operator
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import reduce

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from beyondraid.accountability.models import Channel, FeedbackAnswer, Report
from beyondraid.care.models import Harm, HarmKind, Placement, ReliefRequest
from beyondraid.core import clocks
from beyondraid.core import sources as citations
from beyondraid.standard.models import (
    CONFLATED_MEASURE,
    OPERATIONS_PURPOSES,
    THROUGH_OPERATION,
    Agency,
    AggregateFigure,
    CooperationRecord,
    Encounter,
    FundingAllocation,
    FundingSource,
    NonPunishmentAlert,
    Operation,
    TreatmentEvent,
)
from beyondraid.standard.vocabulary import vocabulary

from . import facts
from .models import COMPUTED, PUBLISHED, OperationFact

# A core field recorded for fewer than this share (in per cent) of an agency's people is not
# covered; an agency with any core field not covered is labelled "incomplete data".
COVERAGE_THRESHOLD = 70
INCOMPLETE_DATA = "Incomplete data"

LEVELS = {
    "all": "All operations",
    "year": "Year",
    "state": "State",
    "county": "County",
    "initiative": "Initiative",
    "agency": "Lead agency",
    "operation": "Operation",
}
# The facts a level groups by; "all" groups by nothing.
_UNIT_FIELDS = {
    "all": (),
    "year": ("year",),
    "state": ("state",),
    # A county is named within its state: two states may have counties of the same name.
    "county": ("state", "county"),
    "initiative": ("initiative",),
    "agency": ("agency_id",),
    "operation": ("operation",),
}

COUNT = "count"
SHARE = "share"
RATE_PER_100 = "rate_per_100"
AMOUNT = "amount"
MEDIAN_DAYS = "median_days"
KINDS = {
    COUNT: "Count",
    SHARE: "Share, in per cent",
    RATE_PER_100: "Rate per 100",
    AMOUNT: "Amount in dollars",
    MEDIAN_DAYS: "Median, in days",
}

VICTIMS = "Victims (Rec 3.2)"
PERPETRATORS = "Perpetrators (Rec 3.2)"
FUNDING = "Funding (Rec 3.2)"
ARRESTS_AND_CHARGES = "Arrests and charges"
HARMS = "Harms to victims and minors"
SERVICES_AND_SCREENING = "Services, interpreters and screening"
IDENTIFICATIONS = "Where identifications come from"
HARMS_AFTER = "Harms that follow an operation"
FEEDBACK = "What the people served say"
DISPARITIES = "Disparities"
COMPLETENESS = "Data completeness"

REC_3_2 = "2021 report Rec 3.2"
NOT_ANSWERABLE = "not answerable from this source"
TRAFFICKERS_CONFLATED = (
    f"{NOT_ANSWERABLE}: traffickers are counted together with pimping, pandering and supervising"
)
NOT_PRINTED_FOR_EVERY_OPERATION = (
    f"{NOT_ANSWERABLE}: the figure is not printed as a number for every operation counted here"
)
NO_PERSON_LEVEL_RECORDS = "No person-level records."
OUTSIDE_OPERATIONS = "Identified outside any operation"
NO_FUNDING_RECORDED = "No funding recorded."
NO_SPENDING_REPORTED = "No spending reported yet."
NOBODY_IN_DENOMINATOR = "Not computed: the denominator is 0."
NO_EARLIER_CONTACT = "Not computed: no identified victim has an earlier linked contact."
NO_DOCUMENT_HANDED_OVER = "Not computed: no Continued Presence document was handed over."


class UnknownLevel(ValueError):
    """A level that is not in ``LEVELS``; the message names the levels there are."""


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it counts, in plain language, and where it comes from.

    ``numerator_measure`` and ``denominator_measure`` name the counts ``compute`` takes from the
    database; disparity and completeness indicators have none, because they are tables of their
    own (``disparities`` and ``completeness``). ``breakdown`` names the detail shown with the
    value (by service type, by statute, by charge level, by funding category).
    """

    code: str
    title: str
    group: str
    kind: str
    numerator: str
    denominator: str
    source: str
    numerator_measure: str = ""
    denominator_measure: str = ""
    breakdown: str = ""
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def sources(self) -> tuple[citations.Source, ...]:
        """``source`` as documents and sections a person can read (core/sources.py)."""
        return citations.readable(self.source)

    @property
    def source_title(self) -> str:
        return citations.source_title(self.source)

    @property
    def is_measured(self) -> bool:
        return bool(self.numerator_measure)


VICTIM = "People encountered whose current role is suspected or confirmed victim of trafficking"
SUSPECTED_TRAFFICKER = "People encountered whose current role is suspected trafficker"
PEOPLE_ARRESTED = "People encountered who were arrested (at least one arrest recorded)"
ROLE_NOTE = (
    "The current role is the latest role assessment; a person counts once, however many records "
    "they have."
)
IDENTIFIED = (
    "People recorded whose current role is suspected or confirmed victim of trafficking, whether "
    "met in an operation or identified outside any"
)
IDENTIFIED_NOTE = (
    "A person met in an operation is counted where the operation is; a person identified "
    "outside any operation in the year they were identified, in the state and county of the "
    "organisation that identified them, and under that organisation at the agency level. The "
    "other indicators count the people met in operations only."
)

BEYOND_OPERATIONS_NOTE = (
    "A funding record is counted in the year its period starts, in the state and county of the "
    "organisation that received it (of its funder when it names none), and under that "
    "organisation at the agency level; it belongs to no initiative or operation, so those "
    "levels do not show it."
)

LINKED_VICTIMS = (
    "Identified victims whose record is linked to their other contacts with a booking or case "
    "number (docs/linkage.md), each counted once, at their identification"
)
LINKED_NOTE = (
    "A person's contacts are their records linked with the same keyed hash of a number an "
    "organisation holds; links join the records of one organisation, or of organisations in "
    "one linkage group, never others. Their identification is the first linked record whose "
    "current role is suspected or confirmed victim, counted where that record is; an earlier "
    "contact is a linked record before it. Unlinked people are not counted: the figures say "
    "what the linked records show, not how often it happens to everyone."
)

SUPPRESSED_IN_RELEASES = (
    "In a release, a small count is suppressed, and so is any share or median drawn from one "
    "(docs/transparency.md)."
)
ARRESTED_MAY_BE_VICTIMS = (
    "People arrested (at least one arrest recorded) whose current role is not buyer, suspected "
    "trafficker or other third party"
)
HARMS_NOTE = (
    "A harm is recorded by whoever learns of it and never cleared; a person counts once, however "
    "many such harms they have, where the operation they were met in is counted."
)
TRIAGED_FEEDBACK = (
    "Feedback from people encountered or served that the oversight investigators triaged "
    "(recorded its answers), about the organisation it concerns: a provider, a shelter or an "
    "agency"
)
FEEDBACK_NOTE = (
    "Feedback is about an organisation, not an operation: it is counted in the year it was "
    "received, in the state and county of the organisation it concerns and, at the lead-agency "
    "level, under that organisation (listed whether or not it led operations); never at the "
    "initiative or operation level. Feedback not yet triaged is not counted. What it says stays "
    "sealed; only the investigators' answers are counted."
)
FEEDBACK_SHARE_NOTE = (
    "Feedback that did not say is in the denominator, not the numerator: the share is a floor."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "victims_identified",
        "Victims identified",
        VICTIMS,
        COUNT,
        f"{VICTIM}.",
        "",
        f"{REC_3_2} (R83); R90: 'rescues' are identified victims",
        numerator_measure="victims",
        note=ROLE_NOTE,
    ),
    Indicator(
        "victims_foreign_nationals",
        "Victims who are foreign nationals",
        VICTIMS,
        COUNT,
        "Identified victims whose citizenship status is lawful permanent resident, other lawful "
        "status or undocumented.",
        "",
        f"{REC_3_2} (R83)",
        numerator_measure="victims_foreign_nationals",
        note="A status recorded as unknown counts as neither foreign nor not.",
    ),
    Indicator(
        "victims_undocumented",
        "Victims who are undocumented",
        VICTIMS,
        COUNT,
        "Identified victims whose citizenship status is undocumented.",
        "",
        f"{REC_3_2} (R83)",
        numerator_measure="victims_undocumented",
    ),
    Indicator(
        "victims_offered_services",
        "Victims offered services",
        VICTIMS,
        COUNT,
        "Identified victims offered at least one service.",
        "",
        f"{REC_3_2} (R83)",
        numerator_measure="victims_offered_services",
    ),
    Indicator(
        "victims_accepted_services",
        "Victims who accepted services, by service type",
        VICTIMS,
        COUNT,
        "Identified victims who accepted at least one service offered. By service type: the "
        "victims who accepted that type (a person who accepted several types counts in each).",
        "",
        f"{REC_3_2} (R83)",
        numerator_measure="victims_accepted_services",
        breakdown="accepted_service_type",
    ),
    Indicator(
        "victims_declined_services",
        "Victims who declined a service offered",
        VICTIMS,
        COUNT,
        "Identified victims who declined at least one service offered to them.",
        "",
        "2021 report R59 (declines respected), Rec 3.2 (R83)",
        numerator_measure="victims_declined_services",
        note="Declining is the person's right. A person who declined one service and accepted "
        "another counts here and among those who accepted.",
    ),
    Indicator(
        "victims_referred",
        "Victims referred to a service provider",
        VICTIMS,
        COUNT,
        "Identified victims with at least one referral sent to a victim-service provider, with "
        "their consent or a recorded override.",
        "",
        "2009 report R-117-R-118 (referral channels); 2021 report R56",
        numerator_measure="victims_referred",
    ),
    Indicator(
        "victims_turned_away_by_provider",
        "Victims a provider could not take (unmet need)",
        VICTIMS,
        COUNT,
        "Identified victims with at least one referral a provider declined — no capacity, not "
        "eligible (age, residence, gender) or another reason — as logged in the unmet-need log.",
        "",
        "2021 report R56-R57 (services for every victim); R60 (equal service regardless of age)",
        numerator_measure="victims_turned_away_by_provider",
        note="A person turned away by one provider and taken by another counts here too: the "
        "figure measures gaps in the network, not people left without any service.",
    ),
    Indicator(
        "victims_followed_up",
        "Victims followed up",
        VICTIMS,
        COUNT,
        "Identified victims with at least one follow-up done (whether or not the person was "
        "reached).",
        "",
        "2021 report Rec 3.2 (R61-R63: long-term outcomes are not tracked)",
        numerator_measure="victims_followed_up",
        note="Follow-ups are scheduled at identification for six and twelve months; one missed "
        "shows on the alerts page, not here.",
    ),
    Indicator(
        "victims_receiving_after_six_months",
        "Victims still receiving services after six months",
        VICTIMS,
        COUNT,
        "Identified victims with a follow-up, done at least six months (183 days) after the "
        "encounter, that found them still receiving services.",
        "",
        f"{REC_3_2} (R61, R83)",
        numerator_measure="victims_receiving_after_six_months",
        note="Victims never followed up are not counted: the figure is a floor.",
    ),
    Indicator(
        "victims_re_trafficked",
        "Victims suspected or known to be re-trafficked",
        VICTIMS,
        COUNT,
        "Identified victims with a follow-up recording re-trafficking as suspected or known.",
        "",
        f"{REC_3_2} (R62, R83)",
        numerator_measure="victims_re_trafficked",
    ),
    Indicator(
        "victims_deported",
        "Victims deported",
        VICTIMS,
        COUNT,
        "Identified victims with a follow-up recording that they were deported.",
        "",
        f"{REC_3_2} (R83)",
        numerator_measure="victims_deported",
    ),
    Indicator(
        "victims_prosecuted",
        "Victims prosecuted, and for what",
        VICTIMS,
        COUNT,
        "Identified victims with a follow-up recording that they were prosecuted. For what: the "
        "statutes the follow-ups name (a person prosecuted under several counts in each).",
        "",
        f"{REC_3_2} (R83)",
        numerator_measure="victims_prosecuted",
        breakdown="prosecuted_for",
    ),
    Indicator(
        "perpetrators_identified",
        "Perpetrators identified",
        PERPETRATORS,
        COUNT,
        f"{SUSPECTED_TRAFFICKER}.",
        "",
        f"{REC_3_2} (R84); R87-R89: never conflated with pimping, buyers or sellers",
        numerator_measure="suspected_traffickers",
        note="Published aggregate tables cannot answer this: they count traffickers together "
        "with pimping, pandering and supervising.",
    ),
    Indicator(
        "perpetrators_charged_trafficking",
        "Perpetrators charged with trafficking",
        PERPETRATORS,
        COUNT,
        "Suspected traffickers with at least one charge under a statute of the trafficking "
        "category.",
        "",
        f"{REC_3_2} (R84)",
        numerator_measure="traffickers_charged_trafficking",
        note="A person charged with trafficking whose role is not 'suspected trafficker' is not "
        "a perpetrator here; their charge still counts among the trafficking charges.",
    ),
    Indicator(
        "perpetrators_convicted_trafficking",
        "Perpetrators successfully prosecuted for trafficking",
        PERPETRATORS,
        COUNT,
        "Suspected traffickers convicted as charged on at least one trafficking charge.",
        "",
        f"{REC_3_2} (R84)",
        numerator_measure="traffickers_convicted_trafficking",
    ),
    Indicator(
        "perpetrators_convicted_lesser",
        "Perpetrators convicted of a lesser offence only",
        PERPETRATORS,
        COUNT,
        "Suspected traffickers convicted of a lesser offence on some charge and of trafficking "
        "on none; shown apart from those successfully prosecuted for trafficking.",
        "",
        f"{REC_3_2} (R84)",
        numerator_measure="traffickers_convicted_lesser_only",
    ),
    Indicator(
        "funds_received",
        "Funds received for operations, by category",
        FUNDING,
        AMOUNT,
        "Dollars allocated to the operations from funding sources (grants, budgets, donors); by "
        "the category the money was allocated to.",
        "",
        f"{REC_3_2} (R85); R102-R107",
        numerator_measure="funds_received",
        breakdown="funding_category_received",
    ),
    Indicator(
        "funds_spent",
        "Funds spent, by category",
        FUNDING,
        AMOUNT,
        "Dollars reported as spent from those allocations; by category.",
        "",
        f"{REC_3_2} (R85); R107",
        numerator_measure="funds_spent",
        breakdown="funding_category_spent",
        note="Allocations whose spending is not yet reported are left out.",
    ),
    Indicator(
        "spending_per_victim",
        "Spending per identified victim",
        FUNDING,
        AMOUNT,
        "Dollars reported as spent on the operations.",
        f"{VICTIM} in the same operations.",
        "2021 report R99 (outcomes, not outputs), R103",
        numerator_measure="funds_spent",
        denominator_measure="victims",
    ),
    Indicator(
        "funds_beyond_operations",
        "Funds for services, outreach, hotlines, community organisations and labour-law "
        "enforcement, by purpose",
        FUNDING,
        AMOUNT,
        "Dollars of the funding records for any purpose other than law-enforcement operations "
        "(victim services, outreach and public education, hotlines, community organisations, "
        "labour-law enforcement, other), counted whole; by purpose. Shown beside the funds "
        "received for operations.",
        "",
        "2009 report R-187-R-190",
        numerator_measure="funds_beyond_operations",
        breakdown="funding_purpose",
        note=BEYOND_OPERATIONS_NOTE,
    ),
    Indicator(
        "grants_with_conditions",
        "Grants carrying conditions, by condition",
        FUNDING,
        COUNT,
        "Funding records of any purpose carrying at least one condition (anything but 'no "
        "conditions' or not known); by condition: the records carrying each (a record with "
        "several conditions counts under each).",
        "",
        "2009 report R-185-R-186, R-192",
        numerator_measure="grants_with_conditions",
        breakdown="funding_condition",
        note=BEYOND_OPERATIONS_NOTE,
    ),
    Indicator(
        "arrests",
        "People arrested",
        ARRESTS_AND_CHARGES,
        COUNT,
        f"{PEOPLE_ARRESTED}.",
        "",
        "2021 report Tables 2-4; R99",
        numerator_measure="arrests",
    ),
    Indicator(
        "share_arrests_selling_sex",
        "Arrests of people selling sex",
        ARRESTS_AND_CHARGES,
        SHARE,
        "People arrested whose current role is suspected or confirmed victim or adult in "
        "commercial sex (agencies count them as 'Commercial Sex Worker').",
        f"{PEOPLE_ARRESTED}.",
        "2021 report R87 (do not conflate victims with sex workers), Tables 2-4",
        numerator_measure="arrests_selling_sex",
        denominator_measure="arrests",
    ),
    Indicator(
        "share_arrests_buying_sex",
        "Arrests of people buying sex",
        ARRESTS_AND_CHARGES,
        SHARE,
        "People arrested whose current role is buyer.",
        f"{PEOPLE_ARRESTED}.",
        "2021 report R87, Tables 2-4",
        numerator_measure="arrests_buying_sex",
        denominator_measure="arrests",
    ),
    Indicator(
        "share_arrests_suspected_traffickers",
        "Arrests of suspected traffickers",
        ARRESTS_AND_CHARGES,
        SHARE,
        "People arrested whose current role is suspected trafficker.",
        f"{PEOPLE_ARRESTED}.",
        "2021 report R88-R89 (traffickers as their own category)",
        numerator_measure="arrests_suspected_traffickers",
        denominator_measure="arrests",
    ),
    Indicator(
        "share_arrests_other",
        "Arrests of others",
        ARRESTS_AND_CHARGES,
        SHARE,
        "People arrested whose current role is none of the above (other third party, witness, "
        "unknown).",
        f"{PEOPLE_ARRESTED}.",
        "2021 report Tables 2-4",
        numerator_measure="arrests_other",
        denominator_measure="arrests",
    ),
    Indicator(
        "arrests_pimping_pandering_supervising",
        "Arrests for pimping, pandering or supervising",
        ARRESTS_AND_CHARGES,
        COUNT,
        "People arrested with at least one charge under a statute of the pimping, pandering or "
        "supervising category, whatever their role.",
        "",
        "2021 report R88-R91, Tables 2-4",
        numerator_measure="arrests_pimping_pandering_supervising",
        note="Counted by charge, not by role, so these people are also in the role-based shares "
        "above. Such a charge never makes anyone a trafficker (R88).",
    ),
    Indicator(
        "victims_per_100_arrests",
        "Victims identified per 100 arrests",
        ARRESTS_AND_CHARGES,
        RATE_PER_100,
        f"{VICTIM}.",
        f"{PEOPLE_ARRESTED}.",
        "2021 report R99-R100 (one victim for every 300 people arrested)",
        numerator_measure="victims",
        denominator_measure="arrests",
    ),
    Indicator(
        "charges_filed",
        "Charges filed, felonies and misdemeanours",
        ARRESTS_AND_CHARGES,
        COUNT,
        "Charges filed against people encountered (a charge, not a person: one person may face "
        "several); by the level of the statute: felony, misdemeanour, felony-or-misdemeanour, "
        "infraction.",
        "",
        "2021 report R91 (citations for minor things announced as trafficking arrests)",
        numerator_measure="charges_filed",
        breakdown="charge_level",
    ),
    Indicator(
        "share_trafficking_charges",
        "Trafficking charges among all charges",
        ARRESTS_AND_CHARGES,
        SHARE,
        "Charges under a statute of the trafficking category.",
        "Charges filed against people encountered.",
        "2021 report R91, R95",
        numerator_measure="trafficking_charges",
        denominator_measure="charges_filed",
    ),
    Indicator(
        "victims_punished",
        "Victims and minors arrested, cited or charged",
        HARMS,
        COUNT,
        "People with a non-punishment alert for an arrest, a citation or a charge: a suspected or "
        "confirmed victim, or a minor, who was arrested, cited or charged.",
        "",
        "2021 report R43-R44, R48 (non-punishment principle)",
        numerator_measure="victims_punished",
    ),
    Indicator(
        "minors_arrested",
        "Minors arrested",
        HARMS,
        COUNT,
        "People whose age group is under 18 who were arrested.",
        "",
        "2021 report R34-R35 (a minor in commercial sex is a victim in law)",
        numerator_measure="minors_arrested",
    ),
    Indicator(
        "victims_referred_to_immigration",
        "Victims and minors referred to immigration enforcement",
        HARMS,
        COUNT,
        "People with a non-punishment alert for a referral to immigration enforcement: a "
        "suspected or confirmed victim, or a minor, who was referred.",
        "",
        "2021 report R49 (immigration-protection policy)",
        numerator_measure="protected_referred_to_immigration",
    ),
    Indicator(
        "charged_after_entering_as_minor",
        "People who entered commercial sex as minors, charged as adults",
        HARMS,
        COUNT,
        "People with a non-punishment alert for a charge brought against them as adults after "
        "they entered commercial sex as minors (de facto trafficking victims), who were not "
        "suspected or confirmed victims when charged.",
        "",
        "2021 report R36 (the age-18 cliff: flag charges against anyone who entered as a minor)",
        numerator_measure="charged_after_entering_as_minor",
        note="People recorded as suspected or confirmed victims when charged are counted under "
        "'Victims and minors arrested, cited or charged' instead.",
    ),
    Indicator(
        "minors_asked_to_cooperate",
        "Minors asked to cooperate with law enforcement",
        HARMS,
        COUNT,
        "People with a non-punishment alert for a cooperation record made while they were under "
        "18: asked to cooperate, whether they declined, cooperated or later withdrew.",
        "",
        "2009 report R-106 (a minor is not required to cooperate); 2021 report R45",
        numerator_measure="minors_asked_to_cooperate",
    ),
    Indicator(
        "share_victims_interviewed_without_advocate",
        "Victims interviewed without an advocate",
        HARMS,
        SHARE,
        "Identified victims interviewed at least once with no advocate present.",
        "Identified victims who were interviewed.",
        "2021 report R40 (questioning only with the support of an advocate)",
        numerator_measure="victims_interviewed_without_advocate",
        denominator_measure="victims_interviewed",
        note="An interview whose advocate presence is recorded as unknown, or where the person "
        "declined an advocate, is not counted.",
    ),
    Indicator(
        "misconduct_reports",
        "Reports of abuse by officers",
        HARMS,
        COUNT,
        "Anonymous reports of abuse by officers that the oversight investigators linked to an "
        "operation, whoever made them (an officer, a person encountered, an advocate, a witness).",
        "",
        "2021 report Rec 2.2, Rec 3.3 (R76-R82); 2009 report R-130-R-160",
        numerator_measure="misconduct_reports",
        note="Reports not (yet) linked to an operation are not counted: the figure is a floor. "
        "What a report says stays sealed; only the investigators' triage is counted.",
    ),
    Indicator(
        "misconduct_reports_sustained",
        "Reports of abuse by officers found to be true",
        HARMS,
        COUNT,
        "Reports of abuse by officers linked to an operation whose finding is sustained or a "
        "policy failure.",
        "",
        "2021 report Rec 3.3 (R78: independent, transparent investigation)",
        numerator_measure="misconduct_reports_sustained",
    ),
    Indicator(
        "share_victims_offered_services",
        "Victims offered services (goal: 100 %)",
        SERVICES_AND_SCREENING,
        SHARE,
        "Identified victims offered at least one service.",
        f"{VICTIM}.",
        "2021 report Rec 5.2 (R56: offer services to every suspected victim)",
        numerator_measure="victims_offered_services",
        denominator_measure="victims",
    ),
    Indicator(
        "share_victims_offered_before_interview",
        "Victims offered services before any interview",
        SERVICES_AND_SCREENING,
        SHARE,
        "Identified victims offered a service no later than the day of their first interview, or "
        "offered one and never interviewed.",
        f"{VICTIM}.",
        "2021 report R40, R56",
        numerator_measure="victims_offered_before_interview",
        denominator_measure="victims",
        note="Compared by day: an offer made on the day of the first interview counts as before "
        "it, since the standard records days, not times.",
    ),
    Indicator(
        "share_interpreter_provided",
        "Interpreters provided where needed",
        SERVICES_AND_SCREENING,
        SHARE,
        "People encountered for whom an interpreter was provided.",
        "People encountered who needed an interpreter (provided, or needed but not provided).",
        "2021 report R17 (someone present who speaks the victim's language)",
        numerator_measure="interpreter_provided",
        denominator_measure="interpreter_needed",
    ),
    Indicator(
        "share_screened",
        "People screened for trafficking",
        SERVICES_AND_SCREENING,
        SHARE,
        "People encountered with at least one trafficking screening recorded.",
        "People encountered.",
        "2021 report R38 (only 17 % of incident reports mentioned screening)",
        numerator_measure="people_screened",
        denominator_measure="people",
    ),
    Indicator(
        "identifications_by_pathway",
        "Victims identified, by pathway",
        IDENTIFICATIONS,
        COUNT,
        f"{IDENTIFIED}; by the pathway through which each was identified: a law-enforcement "
        "operation, another law-enforcement contact, self-referral, a community or faith "
        "organisation, another survivor, a hotline, a hospital or clinic, a court, a labour "
        "inspection or advocate, immigration proceedings, a school, or another way.",
        "",
        "2009 report R-165 (000:521-523: 'Ninety percent of our cases are not from raids'); "
        "R-039, R-117",
        numerator_measure="identified_victims",
        breakdown="identification_pathway",
        note=IDENTIFIED_NOTE,
    ),
    Indicator(
        "identifications_by_sector",
        "Victims identified, by sector of work",
        IDENTIFICATIONS,
        COUNT,
        f"{IDENTIFIED}; by the sector of the work each was in: domestic work, agriculture, "
        "restaurants and food, construction, manufacturing, hospitality and cleaning, massage "
        "and spa, commercial sex, another sector, or not recorded.",
        "",
        "2009 report R-054 (000:3248-3259), R-166 (000:146-150: task forces focused on "
        "prostitution alone)",
        numerator_measure="identified_victims",
        breakdown="work_sector",
        note=IDENTIFIED_NOTE,
    ),
    Indicator(
        "identifications_by_trafficking_form",
        "Victims identified, by form of trafficking alleged",
        IDENTIFICATIONS,
        COUNT,
        f"{IDENTIFIED}; by the form of trafficking alleged: sex, labour, both, none alleged, or "
        "not recorded.",
        "",
        "2009 report R-054, R-166; 22 U.S.C. § 7102",
        numerator_measure="identified_victims",
        breakdown="trafficking_form",
        note=IDENTIFIED_NOTE,
    ),
    Indicator(
        "share_identified_through_operations",
        "Victims identified through law-enforcement operations",
        IDENTIFICATIONS,
        SHARE,
        "Identified victims met in a law-enforcement operation.",
        f"{IDENTIFIED}.",
        "2009 report R-165 (000:4430-4435, 000:5422-5423)",
        numerator_measure="identified_through_operations",
        denominator_measure="identified_victims",
        note=IDENTIFIED_NOTE,
    ),
    Indicator(
        "victims_arrested_before_identification",
        "Victims arrested or cited before they were identified",
        IDENTIFICATIONS,
        SHARE,
        "Identified victims with an earlier linked contact in which they were arrested or cited.",
        f"{LINKED_VICTIMS}.",
        "2009 report R-019 (victims arrested before they are identified)",
        numerator_measure="victims_arrested_before_identification",
        denominator_measure="linked_victims",
        note=LINKED_NOTE,
    ),
    Indicator(
        "victims_with_repeated_contacts",
        "Victims with repeated contacts",
        IDENTIFICATIONS,
        SHARE,
        "Identified victims with at least one other linked contact, before or after their "
        "identification.",
        f"{LINKED_VICTIMS}.",
        "2009 report R-019; issue 21 (repeated contacts and re-trafficking)",
        numerator_measure="victims_with_repeated_contacts",
        denominator_measure="linked_victims",
        note=LINKED_NOTE,
    ),
    Indicator(
        "days_from_first_contact_to_identification",
        "Time from first contact to identification",
        IDENTIFICATIONS,
        MEDIAN_DAYS,
        "For identified victims with an earlier linked contact: the days from their first linked "
        "contact to their identification; the median of those days.",
        "",
        "2009 report R-019; issue 21, item 4",
        numerator_measure="median_days_to_identification",
        note=f"{LINKED_NOTE} Victims identified at their first contact are not counted here: "
        "their time is 0 days, and it is known for every linked and unlinked person alike.",
    ),
    Indicator(
        "victims_detained",
        "Victims held in detention",
        HARMS_AFTER,
        SHARE,
        "Identified victims held in jail or other custody that is not protective placement (a "
        "treatment event 'detained'), or in immigration detention (a harm recorded after the "
        "operation).",
        f"{VICTIM}.",
        "2009 report R-109 (000:502-505: a rights-based approach would not 'permit the detention "
        "of people who have been victimized by trafficking under any circumstances'; "
        "000:3885-3887)",
        numerator_measure="victims_detained",
        denominator_measure="victims",
        note=f"{ROLE_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "immigration_referrals_before_screening",
        "People referred to immigration or facing removal before any screening",
        HARMS_AFTER,
        COUNT,
        "People encountered, whatever their role, referred to immigration enforcement (a "
        "treatment event 'immigration referral') or served a Notice to Appear, ordered removed or "
        "removed (a harm recorded after the operation) with no trafficking screening recorded on "
        "or before that day.",
        "",
        "2009 report R-072 (000:409-411: raids 'can lead to the deportation of many people "
        "rounded up before they can be properly screened for trafficking')",
        numerator_measure="immigration_before_screening",
        note="A person screened on the day itself, or any day before, is not counted. "
        f"{SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "arrests_without_screening",
        "Arrests without a trafficking screening",
        HARMS_AFTER,
        SHARE,
        f"{ARRESTED_MAY_BE_VICTIMS}, with no trafficking screening recorded on or before the "
        "day after an arrest.",
        f"{ARRESTED_MAY_BE_VICTIMS}.",
        "2009 report R-013 (000:624-627: 'only one participant was ever screened for trafficking "
        "by local police'); R-163",
        numerator_measure="arrested_without_screening",
        denominator_measure="arrested_may_be_victims",
        note="Buyers, suspected traffickers and other third parties are left out: screening is "
        "owed to the people who may be victims. A person arrested more than once counts if any "
        f"arrest went unscreened by the next day. {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "immigration_proceedings",
        "People placed in immigration proceedings after an operation",
        HARMS_AFTER,
        COUNT,
        "People encountered, whatever their role, with a harm recorded after the operation: "
        "served a Notice to Appear, held in immigration detention, ordered removed or removed.",
        "",
        "2009 report R-162 (000:117-126: 'in 2008 alone … 483 people … were placed in "
        "immigration proceedings following anti-trafficking raids')",
        numerator_measure="immigration_proceedings",
        note=f"{HARMS_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "family_separations",
        "People separated from their family after an operation",
        HARMS_AFTER,
        COUNT,
        "People encountered, whatever their role, with a harm recorded after the operation: "
        "separated from their children or family.",
        "",
        "2009 report R-207 (000:4831-4833: cooperation 'essentially meant divorce, mandated by "
        "the government'; 000:2458-2469; 000:3914-3923)",
        numerator_measure="family_separations",
        note=f"{HARMS_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "violence_risk_after_operation",
        "People at risk of violence at home after an operation",
        HARMS_AFTER,
        COUNT,
        "People encountered, whatever their role, with a harm recorded after the operation: at "
        "risk of violence at home.",
        "",
        "2009 report R-206 (000:4209-4213: relationships that 'become abusive')",
        numerator_measure="violence_risk_after_operation",
        note=f"{HARMS_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "cooperation_offers_unanswered",
        "Offers to cooperate law enforcement did not answer in time",
        HARMS_AFTER,
        SHARE,
        "People who offered to cooperate with law enforcement (a cooperation record 'offered') "
        "with an offer no later cooperation record answered within the 'cooperation-answer' "
        "clock (14 calendar days unless the deployment sets its own length): answered late, or "
        "still unanswered today past the clock.",
        "People encountered who offered to cooperate with law enforcement.",
        "2009 report R-104 (000:4607-4613: clients 'desperate to meet with law enforcement'); "
        "R-112 (000:4677-4683)",
        numerator_measure="cooperation_offers_unanswered",
        denominator_measure="offered_to_cooperate",
        note="The answer is any later cooperation record but another offer (cooperating, "
        "declined, withdrew, not needed), recorded on the day of the offer or after. An offer "
        "still inside its clock today is not counted yet: the figure is as of the day it is "
        f"computed. {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "placements_not_free",
        "Placements the person was not free to leave",
        HARMS_AFTER,
        SHARE,
        "People placed in at least one placement they were not free to leave or that was locked.",
        "People encountered with at least one placement recorded.",
        "2009 report R-029 (000:6234: 'Were you able to come and go as you pleased?'); R-086 "
        "(000:612-613: 'housing that does not feel like a detention center')",
        numerator_measure="placed_not_free",
        denominator_measure="placed",
        note="An answer 'not known' is not counted as not free. Whatever the setting is called, "
        f"a placement the person may not leave is detention. {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "continued_presence_pending_past_setting",
        "People waiting for a Continued Presence decision past the clock",
        HARMS_AFTER,
        COUNT,
        "People encountered with a Continued Presence request (a renewal too) still pending "
        "today, longer than the 'continued-presence-decision' clock from the agency's receipt of "
        "it (30 calendar days unless the deployment sets its own length).",
        "",
        "2009 report R-101 (000:946-955: 'Delays in providing necessary certification … feed and "
        "perpetuate distrust'); R-102 (000:4587-4592: 'it took them three months to decide')",
        numerator_measure="continued_presence_pending_past_setting",
        note="The figure is as of the day it is computed; a request decided since is not "
        f"counted. {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "days_from_continued_presence_grant_to_document",
        "Time from a Continued Presence grant to the document in hand",
        HARMS_AFTER,
        MEDIAN_DAYS,
        "For Continued Presence granted to people encountered and handed to them: the days from "
        "the grant to the day the document was given to the person; the median of those days, "
        "one per grant.",
        "",
        "2009 report R-103 (000:4646-4651: 'her CP was approved six months before they gave it "
        "to her')",
        numerator_measure="median_days_to_continued_presence_document",
        note="Grants not handed over yet are not counted: the figure says how long delivery took "
        f"where it happened. {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "feedback_received",
        "Feedback received about an organisation",
        FEEDBACK,
        COUNT,
        f"{TRIAGED_FEEDBACK}.",
        "",
        "Issue 22, item 4; 2021 report R31 ('Formally eliciting and integrating victim "
        "feedback'); 2009 report R-040 (000:6290-6292), R-087 (000:4082-4093)",
        numerator_measure="feedback_received",
        note=f"{FEEDBACK_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "feedback_rights_not_explained",
        "Feedback: rights not explained in the person's language",
        FEEDBACK,
        SHARE,
        "Triaged feedback saying the person's rights were not explained to them in their language.",
        f"{TRIAGED_FEEDBACK}.",
        "Issue 22, item 4; 2009 report R-084 (000:3054-3057: 'The information about her rights "
        "and benefits … was critical'), R-032 (000:3763-3766)",
        numerator_measure="feedback_rights_not_explained",
        denominator_measure="feedback_received",
        note=f"{FEEDBACK_SHARE_NOTE} {FEEDBACK_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "feedback_not_free_to_leave",
        "Feedback: not free to leave",
        FEEDBACK,
        SHARE,
        "Triaged feedback saying the person did not feel free to leave.",
        f"{TRIAGED_FEEDBACK}.",
        "Issue 22, item 4; 2009 report R-029 (000:6234: 'Were you able to come and go as you "
        "pleased?'), R-087 (000:4084-4086: a shelter called 'detention')",
        numerator_measure="feedback_not_free_to_leave",
        denominator_measure="feedback_received",
        note=f"{FEEDBACK_SHARE_NOTE} {FEEDBACK_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "feedback_judged",
        "Feedback: judged",
        FEEDBACK,
        SHARE,
        "Triaged feedback saying the person was not treated without judgement.",
        f"{TRIAGED_FEEDBACK}.",
        "Issue 22, item 4; 2009 report R-092 (000:974-991: 'a non-judgmental attitude')",
        numerator_measure="feedback_judged",
        denominator_measure="feedback_received",
        note=f"{FEEDBACK_SHARE_NOTE} {FEEDBACK_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "feedback_help_not_needed",
        "Feedback: the help was not what they needed",
        FEEDBACK,
        SHARE,
        "Triaged feedback saying the help was not what the person needed.",
        f"{TRIAGED_FEEDBACK}.",
        "Issue 22, item 4; 2009 report R-087 (000:4082-4084: 'worse than what they were living "
        "in beforehand')",
        numerator_measure="feedback_help_not_needed",
        denominator_measure="feedback_received",
        note=f"{FEEDBACK_SHARE_NOTE} {FEEDBACK_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "feedback_with_complaint",
        "Feedback carrying a complaint",
        FEEDBACK,
        SHARE,
        "Triaged feedback the investigators found to carry a complaint about the organisation.",
        f"{TRIAGED_FEEDBACK}.",
        "Issue 22, item 4; 2009 report R-087 (resident complaints, 000:4087-4093)",
        numerator_measure="feedback_with_complaint",
        denominator_measure="feedback_received",
        note=f"{FEEDBACK_NOTE} {SUPPRESSED_IN_RELEASES}",
    ),
    Indicator(
        "disparity_race_ethnicity",
        "Race and ethnicity: arrests for selling sex against victims identified",
        DISPARITIES,
        SHARE,
        "For each race or ethnicity: its share of the arrests of people selling sex, beside its "
        "share of identified victims. People with several codes count in each of them; people "
        "with none recorded count as 'not recorded'.",
        "People arrested as selling sex (see 'Arrests of people selling sex'); identified victims.",
        "2021 report R52 (race and gender bias in identification)",
        note="Shares of one group can add up to more than 100 % because several codes are allowed.",
    ),
    Indicator(
        "disparity_gender_identity",
        "Gender identity: arrests for selling sex against victims identified",
        DISPARITIES,
        SHARE,
        "For each gender identity: its share of the arrests of people selling sex, beside its "
        "share of identified victims.",
        "People arrested as selling sex; identified victims.",
        "2021 report R52-R53",
    ),
    Indicator(
        "data_completeness",
        "Core fields recorded, by agency",
        COMPLETENESS,
        SHARE,
        "For each lead agency and core field (age group, gender identity, race or ethnicity, "
        "citizenship status, role, interpreter, primary language): the people whose value is "
        "recorded, not 'unknown' or 'not recorded'.",
        "People encountered in the operations the agency led.",
        "2021 report R54 (no victim demographics recorded), R86 (uniform data collection)",
        note=f"A field recorded for less than {COVERAGE_THRESHOLD} % of the people is not "
        f"covered; an agency with any core field not covered is labelled "
        f"'{INCOMPLETE_DATA.lower()}' instead of given a completeness score.",
    ),
)
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def find_indicator(code: str) -> Indicator | None:
    return INDICATORS_BY_CODE.get(code)


# --- What the database counts -------------------------------------------------------------------


def _has_alert(trigger: str) -> Q:
    """People with a non-punishment alert of this trigger, however many they have."""
    return Q(Exists(NonPunishmentAlert.objects.filter(encounter=OuterRef("pk"), trigger=trigger)))


def _has_event(kind: str) -> Q:
    return Q(Exists(TreatmentEvent.objects.filter(encounter=OuterRef("pk"), kind=kind)))


def _has_harm(*kinds: str) -> Q:
    return Q(Exists(Harm.objects.filter(encounter=OuterRef("pk"), kind__in=kinds)))


def _screened_by(day) -> Exists:
    """A trafficking screening of the same person on or before ``day`` (an expression of the
    record the subquery is about)."""
    return Exists(
        TreatmentEvent.objects.filter(
            encounter=OuterRef("encounter"), kind="screened", occurred_on__lte=day
        )
    )


def _clock_span(code: str) -> datetime.timedelta:
    """How long a clock of ``code`` runs, with the deployment's own length (``CLOCK_OVERRIDES``),
    as a span the database adds to a start day. The clocks these indicators read count every
    day (clock_rules.toml), so the due day is the start plus this span whatever the start."""
    rule = clocks.rule(code, settings.CLOCK_OVERRIDES)
    if rule.unit is not clocks.Unit.CALENDAR_DAYS or rule.moves_to_next_business_day:
        raise ValueError(f"{code} does not count every day; its due dates are not a fixed span.")
    start = datetime.date(2000, 1, 3)
    return clocks.due_date(rule, start) - start


# Any cooperation record answers an offer to cooperate, but another offer: that is the person
# asking again ("I called this detective ten times", R-112).
_COOPERATION_ANSWERS = ("cooperating", "declined", "withdrew", "not_needed")


def _offer_unanswered_in_time(today: datetime.date) -> Q:
    """An offer to cooperate whose clock ran out before today with no answer inside it: answered
    late, or still unanswered (the status of the ``cooperation-answer`` clock today is overdue or
    met late)."""
    span = _clock_span("cooperation-answer")
    answered_in_time = CooperationRecord.objects.filter(
        encounter=OuterRef("encounter"),
        status__in=_COOPERATION_ANSWERS,
        recorded_on__gte=OuterRef("recorded_on"),
        recorded_on__lte=OuterRef("recorded_on") + span,
    )
    offers = CooperationRecord.objects.filter(
        encounter=OuterRef("pk"), status="offered", recorded_on__lt=today - span
    ).filter(~Exists(answered_in_time))
    return Q(Exists(offers))


def _continued_presence_overdue(today: datetime.date) -> Q:
    """A Continued Presence request still pending today past the ``continued-presence-decision``
    clock from its receipt."""
    span = _clock_span("continued-presence-decision")
    return Q(
        Exists(
            ReliefRequest.objects.filter(
                encounter=OuterRef("pk"),
                kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
                status=ReliefRequest.Status.PENDING,
                requested_on__lt=today - span,
            )
        )
    )


# Roles to whom a screening is owed after an arrest: anyone who may be a victim.
_NOT_OWED_SCREENING = ("buyer", "suspected_trafficker", "other_third_party")
# Harms that put a person before immigration enforcement, as a referral does.
_REMOVAL_HARMS = (HarmKind.NOTICE_TO_APPEAR, HarmKind.REMOVAL_ORDERED, HarmKind.REMOVED)
_ONE_DAY = datetime.timedelta(days=1)


def _harm_measures(today: datetime.date) -> dict[str, Q]:
    """Counts of people harmed after an operation (issue 22): detained, before immigration
    enforcement unscreened, arrested unscreened, in immigration proceedings, separated from
    their family, at risk at home, unanswered, placed where they may not leave, waiting on
    Continued Presence. Each is an ``Exists`` over the person's records, so a person counts once."""
    victim = Q(is_victim=True)
    referred_unscreened = TreatmentEvent.objects.filter(
        encounter=OuterRef("pk"), kind="immigration_referral"
    ).filter(~_screened_by(OuterRef("occurred_on")))
    removal_unscreened = Harm.objects.filter(
        encounter=OuterRef("pk"), kind__in=_REMOVAL_HARMS
    ).filter(~_screened_by(OuterRef("occurred_on")))
    arrested_unscreened = TreatmentEvent.objects.filter(
        encounter=OuterRef("pk"), kind="arrested"
    ).filter(~_screened_by(OuterRef("occurred_on") + _ONE_DAY))
    may_be_victim_arrested = Q(arrested=True) & ~Q(role__in=_NOT_OWED_SCREENING)
    not_free = Placement.objects.filter(encounter=OuterRef("pk")).filter(
        Q(free_to_leave="no") | Q(locked="yes")
    )
    return {
        "victims_detained": victim
        & (_has_event("detained") | _has_harm(HarmKind.IMMIGRATION_DETENTION)),
        "immigration_before_screening": Q(Exists(referred_unscreened))
        | Q(Exists(removal_unscreened)),
        "arrested_may_be_victims": may_be_victim_arrested,
        "arrested_without_screening": may_be_victim_arrested & Q(Exists(arrested_unscreened)),
        "immigration_proceedings": _has_harm(*Harm.IMMIGRATION),
        "family_separations": _has_harm(HarmKind.FAMILY_SEPARATION),
        "violence_risk_after_operation": _has_harm(HarmKind.VIOLENCE_RISK),
        "offered_to_cooperate": Q(
            Exists(CooperationRecord.objects.filter(encounter=OuterRef("pk"), status="offered"))
        ),
        "cooperation_offers_unanswered": _offer_unanswered_in_time(today),
        "placed": Q(Exists(Placement.objects.filter(encounter=OuterRef("pk")))),
        "placed_not_free": Q(Exists(not_free)),
        "continued_presence_pending_past_setting": _continued_presence_overdue(today),
    }


def _people_measures(today: datetime.date) -> dict[str, Q]:
    """Counts of people (encounters), each the facts a person must have to be counted."""
    foreign = vocabulary("citizenship_status").codes_where("foreign_national", True)
    victim = Q(is_victim=True)
    trafficker = Q(role="suspected_trafficker")
    return {
        **_harm_measures(today),
        "people": Q(),
        "victims": victim,
        "victims_foreign_nationals": victim & Q(citizenship_status__in=foreign),
        "victims_undocumented": victim & Q(citizenship_status="undocumented"),
        "victims_offered_services": victim & Q(offered_services=True),
        "victims_accepted_services": victim & Q(accepted_services=True),
        "victims_declined_services": victim & Q(declined_services=True),
        "victims_referred": victim & Q(referred=True),
        "victims_turned_away_by_provider": victim & Q(turned_away_by_provider=True),
        "victims_followed_up": victim & Q(followed_up=True),
        "victims_receiving_after_six_months": victim & Q(receiving_after_six_months=True),
        "victims_re_trafficked": victim & Q(re_trafficked=True),
        "victims_deported": victim & Q(deported=True),
        "victims_prosecuted": victim & Q(prosecuted=True),
        "victims_offered_before_interview": victim & Q(offered_before_interview=True),
        "victims_interviewed": victim & Q(interviewed=True),
        "victims_interviewed_without_advocate": victim & Q(interviewed_without_advocate=True),
        "suspected_traffickers": trafficker,
        "traffickers_charged_trafficking": trafficker & Q(charged_trafficking=True),
        "traffickers_convicted_trafficking": trafficker & Q(convicted_trafficking=True),
        "traffickers_convicted_lesser_only": trafficker
        & Q(convicted_lesser=True, convicted_trafficking=False),
        "arrests": Q(arrested=True),
        "arrests_selling_sex": Q(arrest_category=facts.SELLING_SEX),
        "arrests_buying_sex": Q(arrest_category=facts.BUYING_SEX),
        "arrests_suspected_traffickers": Q(arrest_category=facts.SUSPECTED_TRAFFICKER),
        "arrests_other": Q(arrest_category=facts.OTHER),
        "arrests_pimping_pandering_supervising": Q(
            arrested=True, charged_pimping_pandering_supervising=True
        ),
        "victims_punished": Q(punished_victim=True),
        "minors_arrested": Q(is_minor=True, arrested=True),
        "protected_referred_to_immigration": Q(immigration_alert=True),
        "charged_after_entering_as_minor": _has_alert("charged_entered_as_minor"),
        "minors_asked_to_cooperate": _has_alert("minor_asked_to_cooperate"),
        "interpreter_needed": Q(interpreter__in=["provided", "needed_not_provided"]),
        "interpreter_provided": Q(interpreter="provided"),
        "people_screened": Q(screened=True),
    }


def _charge_measures() -> dict[str, Count]:
    """Counts of charges (not people), over the people's charges joined in."""
    levels = {
        f"charges_level_{code}": Count("charges", filter=Q(charges__statute__level=code))
        for code in vocabulary("statute_level").codes
    }
    return {
        "charges_filed": Count("charges"),
        "trafficking_charges": Count("charges", filter=Q(charges__statute__category="trafficking")),
        **levels,
    }


FUNDING_MEASURES = frozenset({"funds_received", "funds_spent"})

# The measures a published aggregate table prints, and those it cannot give: its
# 'Pimp/Pandering/Supervising' row holds traffickers together with people who are not (R88-R89).
PUBLISHED_MEASURES = {
    "arrests": "arrests_total",
    "arrests_selling_sex": "arrests_selling_sex",
    "arrests_buying_sex": "arrests_buying_sex",
    "arrests_pimping_pandering_supervising": "arrests_pimping_pandering_supervising",
    "arrests_other": "arrests_other",
    "victims": "identified_victims_total",
}
CONFLATED_IN_PUBLISHED = frozenset({"suspected_traffickers", "arrests_suspected_traffickers"})
PUBLISHED_NOTES = {
    "victims": "Printed as 'Total Rescues': people the agency counted as rescued (R90).",
    "arrests_other": "Printed as 'Other', which leaves out people arrested for pimping, "
    "pandering or supervising; the computed figure counts by role and includes them.",
    "arrests_selling_sex": "Printed as 'Commercial Sex Worker'.",
    "arrests_buying_sex": "Printed as 'John'.",
}


def _indicator_facts() -> QuerySet[Encounter]:
    """``facts.encounter_facts()`` of the people met in operations, unordered for grouping: the
    measures of operations never count a person identified outside them (issue 21), so that no
    identification made elsewhere is credited to an operation."""
    return facts.encounter_facts(Encounter.objects.filter(operation__isnull=False)).order_by()


def _operation_attributes(path: str) -> dict:
    """The lead agency, year, state, county and initiative of the operation a record hangs on
    through ``path``, from the same view that places encounters, so that funding and published
    figures fall in the same units as people."""
    return {
        "agency_id": F(f"{path}__fact__agency_id"),
        "year": ExtractYear(f"{path}__start_date"),
        "state": F(f"{path}__fact__state"),
        "county": F(f"{path}__fact__county"),
        "initiative": F(f"{path}__initiative"),
    }


@dataclass(frozen=True)
class _Scope:
    year: int | None = None
    state: str | None = None
    agency_id: int | None = None

    def apply(self, queryset: QuerySet) -> QuerySet:
        """Keep the records of operations in scope (the queryset carries the attributes)."""
        conditions = {"year": self.year, "state": self.state, "agency_id": self.agency_id}
        return queryset.filter(**{name: v for name, v in conditions.items() if v is not None})


def _unit_fields(level: str) -> tuple[str, ...]:
    try:
        return _UNIT_FIELDS[level]
    except KeyError:
        raise UnknownLevel(
            f"There is no level {level!r}; choose one of: {', '.join(LEVELS)}."
        ) from None


def _unit(row: dict, unit_fields: Iterable[str]) -> tuple:
    return tuple(row[name] for name in unit_fields)


def _grouped(queryset: QuerySet, unit_fields: tuple[str, ...], **aggregates) -> list[dict]:
    """One row of aggregates per unit; for the level "all", one row for everything."""
    if unit_fields:
        return list(queryset.values(*unit_fields).annotate(**aggregates))
    return [queryset.aggregate(**aggregates)]


def _people_counts(unit_fields, scope: _Scope, today: datetime.date) -> dict[tuple, dict]:
    """Per unit with person-level records: the people measures, the charge measures, the
    misconduct reports and the median time to a Continued Presence document."""
    people = scope.apply(_indicator_facts())
    counts = {
        _unit(row, unit_fields): row
        for row in _grouped(
            people,
            unit_fields,
            **{name: Count("pk", filter=q) for name, q in _people_measures(today).items()},
        )
        if row["people"]
    }
    # Charges are counted apart: joining them multiplies the people.
    for row in _grouped(people, unit_fields, **_charge_measures()):
        if _unit(row, unit_fields) in counts:
            counts[_unit(row, unit_fields)].update(row)
    for row in counts.values():
        row.update(dict.fromkeys(MISCONDUCT_MEASURES, 0))
    for row in _misconduct_reports(unit_fields, scope):
        if _unit(row, unit_fields) in counts:
            counts[_unit(row, unit_fields)].update(row)
    medians = _days_to_continued_presence_document(people, unit_fields)
    for unit, row in counts.items():
        row["median_days_to_continued_presence_document"] = medians.get(unit)
    return counts


def _days_to_continued_presence_document(people: QuerySet, unit_fields) -> dict[tuple, float]:
    """Per unit, the median days from a Continued Presence grant to the day the document was
    handed to the person, one number per grant (R-103). One query, a row per grant with its two
    days and no person's code; the median is taken here, as for the time to identification,
    because a median is not an aggregate both databases have."""
    grants = people.filter(
        relief_requests__kind=ReliefRequest.Kind.CONTINUED_PRESENCE,
        relief_requests__status=ReliefRequest.Status.GRANTED,
        relief_requests__document_given_on__isnull=False,
    ).values(
        *unit_fields,
        decided_on=F("relief_requests__decided_on"),
        given_on=F("relief_requests__document_given_on"),
    )
    days: dict[tuple, list[int]] = defaultdict(list)
    for row in grants:
        days[_unit(row, unit_fields)].append((row["given_on"] - row["decided_on"]).days)
    return {unit: statistics.median(waits) for unit, waits in days.items()}


# Counts of the people recorded, in operations or outside them (``facts.identification_facts``),
# and of the identified victims linked to their other contacts (``facts.linked_identification_
# facts``).
LINKAGE_MEASURES = (
    "linked_victims",
    "victims_arrested_before_identification",
    "victims_with_repeated_contacts",
    "median_days_to_identification",
)
IDENTIFICATION_MEASURES = frozenset(
    {"identified_victims", "identified_through_operations", *LINKAGE_MEASURES}
)
# Why a measure that is not a count has no value.
_WHY_NO_VALUE = {
    "median_days_to_identification": NO_EARLIER_CONTACT,
    "median_days_to_continued_presence_document": NO_DOCUMENT_HANDED_OVER,
}
# The breakdowns of identifications: fields of the encounter, each named after its vocabulary.
IDENTIFICATION_BREAKDOWNS = ("identification_pathway", "work_sector", "trafficking_form")


def _identification_counts(unit_fields, scope: _Scope) -> dict[tuple, dict]:
    """Per unit with anyone recorded in it: the identified victims, those met in operations,
    and the victims by pathway, sector and form alleged. One grouped query, by unit, victim or
    not, pathway, sector and form: each person is in exactly one of its rows, so the sums below
    count each person once."""
    rows = (
        scope.apply(facts.identification_facts().order_by())
        .values(*unit_fields, "is_victim", *IDENTIFICATION_BREAKDOWNS)
        .annotate(people=Count("pk"))
    )
    counts: dict[tuple, dict] = {}
    by_code: dict[tuple, dict[str, dict[str, int]]] = {}
    for row in rows:
        unit = _unit(row, unit_fields)
        totals = counts.setdefault(
            unit, {"people": 0, "identified_victims": 0, "identified_through_operations": 0}
        )
        totals["people"] += row["people"]
        if not row["is_victim"]:
            continue
        totals["identified_victims"] += row["people"]
        if row["identification_pathway"] == THROUGH_OPERATION:
            totals["identified_through_operations"] += row["people"]
        for breakdown in IDENTIFICATION_BREAKDOWNS:
            of_unit = by_code.setdefault(unit, {}).setdefault(breakdown, defaultdict(int))
            of_unit[row[breakdown]] += row["people"]
    for unit, breakdowns in by_code.items():
        for breakdown, people in breakdowns.items():
            labels = vocabulary(breakdown)
            counts[unit][breakdown] = tuple(
                BreakdownItem(labels.label(code), people[code])
                for code in labels.codes
                if code in people
            )
    linked = _linkage_counts(unit_fields, scope)
    for unit, totals in counts.items():
        totals.update(linked.get(unit, _NOTHING_LINKED))
    return counts


_NOTHING_LINKED = {**dict.fromkeys(LINKAGE_MEASURES, 0), "median_days_to_identification": None}


def _linkage_counts(unit_fields, scope: _Scope) -> dict[tuple, dict]:
    """Per unit: the linked victims, those arrested or cited before, those with repeated
    contacts, and the median days from first contact to identification. One query, a row per
    linked victim with two days and two flags (no person's code): the counts are added up and
    the median taken here, because a median is not an aggregate both databases have."""
    rows = scope.apply(facts.linked_identification_facts().order_by()).values(
        *unit_fields,
        "arrested_before",
        "repeated_contacts",
        "first_contact_on",
        "encountered_on",
    )
    counts: dict[tuple, dict] = {}
    days: dict[tuple, list[int]] = defaultdict(list)
    for row in rows:
        unit = _unit(row, unit_fields)
        totals = counts.setdefault(unit, {**_NOTHING_LINKED})
        totals["linked_victims"] += 1
        totals["victims_arrested_before_identification"] += row["arrested_before"]
        totals["victims_with_repeated_contacts"] += row["repeated_contacts"]
        if row["first_contact_on"] is not None:
            days[unit].append((row["encountered_on"] - row["first_contact_on"]).days)
    for unit, waits in days.items():
        counts[unit]["median_days_to_identification"] = statistics.median(waits)
    return counts


MISCONDUCT_MEASURES = ("misconduct_reports", "misconduct_reports_sustained")


def _misconduct_reports(unit_fields, scope: _Scope) -> list[dict]:
    """Reports of abuse by officers that the triage linked to an operation, counted where the
    operation is (its lead agency, year, state…): only the investigators' own facts, never
    anything the reporter wrote, which stays sealed. Counted from the operations' side, whose
    view already carries the agency, state and county."""
    operations = scope.apply(
        OperationFact.objects.annotate(
            year=ExtractYear("operation__start_date"), initiative=F("operation__initiative")
        )
    ).order_by()
    reports = "operation__misconduct_reports"
    # Feedback shares the reports' table and is counted apart (``_feedback_counts``).
    misconduct = Q(operation__misconduct_reports__channel=Channel.MISCONDUCT)
    return _grouped(
        operations,
        unit_fields,
        misconduct_reports=Count(reports, filter=misconduct),
        misconduct_reports_sustained=Count(
            reports,
            filter=misconduct
            & Q(operation__misconduct_reports__finding__in=Report.SUSTAINED_FINDINGS),
        ),
    )


# Measures of the feedback of the people served (issue 22, item 4), about the organisation each
# concerns. Feedback is about an organisation, not an operation: like money beyond operations it
# is counted in the year it was received, in the state and county of the organisation it
# concerns and under that organisation at the agency level, and at no initiative or operation.
_FEEDBACK_SAYS_NO = {
    "feedback_rights_not_explained": "answers__rights_explained",
    "feedback_not_free_to_leave": "answers__free_to_leave",
    "feedback_judged": "answers__without_judgement",
    "feedback_help_not_needed": "answers__help_needed",
}
FEEDBACK_MEASURES = frozenset({"feedback_received", "feedback_with_complaint", *_FEEDBACK_SAYS_NO})
_NO_FEEDBACK = dict.fromkeys(FEEDBACK_MEASURES, 0)
# Where a feedback falls at each level, read under other names: a report has a ``state`` of its
# own (received, triaged...).
_FEEDBACK_UNITS = {
    "year": ExtractYear("received_on"),
    "state": F("concerned_agency__state"),
    "county": F("concerned_agency__county"),
    "agency_id": F("concerned_agency_id"),
}


def _feedback_counts(unit_fields, scope: _Scope) -> dict[tuple, dict]:
    """Per unit, the triaged feedback and what it says, in one grouped query: only the
    investigators' answers, never what the person wrote, which stays sealed. The scope keeps the
    feedback received in its year, about organisations of its state, or about its agency."""
    if unit_fields in _OPERATION_LEVELS:
        return {}
    conditions = {
        "received_on__year": scope.year,
        "concerned_agency__state": scope.state,
        "concerned_agency_id": scope.agency_id,
    }
    feedback = (
        Report.objects.filter(
            channel=Channel.FEEDBACK, answers__isnull=False, concerned_agency__isnull=False
        )
        .filter(**{name: value for name, value in conditions.items() if value is not None})
        .order_by()
    )
    counts = {
        "feedback_received": Count("pk"),
        "feedback_with_complaint": Count("pk", filter=Q(answers__complaint=True)),
        **{
            name: Count("pk", filter=Q(**{answer: FeedbackAnswer.NO}))
            for name, answer in _FEEDBACK_SAYS_NO.items()
        },
    }
    if not unit_fields:
        totals = feedback.aggregate(**counts)
        return {(): totals} if totals["feedback_received"] else {}
    rows = feedback.values(
        **{f"unit_{name}": _FEEDBACK_UNITS[name] for name in unit_fields}
    ).annotate(**counts)
    return {tuple(row[f"unit_{name}"] for name in unit_fields): row for row in rows}


@dataclass(frozen=True)
class BreakdownItem:
    label: str
    value: int | Decimal


def _people_by_item(unit_fields, scope: _Scope) -> dict[str, dict[tuple, dict]]:
    """Distinct people per unit and per item of the breakdowns read from the people's related
    records: the victims who accepted a service, by service type, and the victims prosecuted, by
    statute. One query, the union of the two grouped queries, whose rows say which breakdown
    they belong to."""
    people = scope.apply(_indicator_facts())

    def by_item(queryset: QuerySet, breakdown: str, item: str) -> QuerySet:
        return queryset.values(
            *unit_fields, breakdown=Value(breakdown, output_field=CharField()), item=F(item)
        ).annotate(people=Count("pk", distinct=True))

    accepted = by_item(
        people.filter(is_victim=True, service_offers__response="accepted"),
        "accepted_service_type",
        "service_offers__service_type",
    )
    prosecuted = by_item(
        people.filter(
            is_victim=True, follow_ups__prosecuted="yes", follow_ups__done_on__isnull=False
        ),
        "prosecuted_for",
        "follow_ups__prosecuted_for__citation",
    )
    grouped: dict[str, dict[tuple, dict]] = {
        "accepted_service_type": defaultdict(dict),
        "prosecuted_for": defaultdict(dict),
    }
    for row in accepted.union(prosecuted, all=True):
        grouped[row["breakdown"]][_unit(row, unit_fields)][row["item"]] = row["people"]
    return grouped


def _service_type_breakdown(people_by_type: dict[tuple, dict]) -> dict[tuple, tuple]:
    labels = vocabulary("service_type")
    return {
        unit: tuple(
            BreakdownItem(labels.label(code), people)
            for code, people in sorted(
                by_type.items(), key=lambda item: labels.codes.index(item[0])
            )
        )
        for unit, by_type in people_by_type.items()
    }


def _prosecuted_for_breakdown(people_by_statute: dict[tuple, dict]) -> dict[tuple, tuple]:
    return {
        unit: tuple(
            BreakdownItem(citation or "Offence not recorded", people)
            # Statutes in citation order, then the people whose offence was not recorded.
            for citation, people in sorted(
                by_statute.items(), key=lambda item: (item[0] is None, item[0] or "")
            )
        )
        for unit, by_statute in people_by_statute.items()
    }


def _charge_level_breakdown(counts: dict) -> tuple[BreakdownItem, ...]:
    levels = vocabulary("statute_level")
    return tuple(
        BreakdownItem(term.label, counts[f"charges_level_{term.code}"]) for term in levels.terms
    )


@dataclass
class _Funding:
    """One unit's funding: totals and the categories they break down into."""

    funds_received: Decimal = Decimal(0)
    funds_spent: Decimal | None = None
    received_by_category: list[BreakdownItem] = field(default_factory=list)
    spent_by_category: list[BreakdownItem] = field(default_factory=list)


def _funding(unit_fields, scope: _Scope) -> dict[tuple, _Funding]:
    allocations = scope.apply(
        FundingAllocation.objects.annotate(**_operation_attributes("operation"))
    ).order_by()
    rows = allocations.values(*unit_fields, "category").annotate(
        received=Sum("amount_allocated"), spent=Sum("amount_spent")
    )
    labels = vocabulary("funding_category")
    funding: dict[tuple, _Funding] = defaultdict(_Funding)
    for row in sorted(rows, key=lambda row: labels.codes.index(row["category"])):
        unit = funding[_unit(row, unit_fields)]
        label = labels.label(row["category"])
        unit.funds_received += row["received"]
        unit.received_by_category.append(BreakdownItem(label, row["received"]))
        if row["spent"] is not None:
            unit.funds_spent = (unit.funds_spent or Decimal(0)) + row["spent"]
            unit.spent_by_category.append(BreakdownItem(label, row["spent"]))
    return funding


# Measures of the money given for anything but operations (``_funding_beyond_operations``).
BEYOND_OPERATIONS_MEASURES = frozenset({"funds_beyond_operations", "grants_with_conditions"})
NO_FUNDING_RECORDED_HERE = {
    "funds_beyond_operations": "No funding beyond operations recorded.",
    "grants_with_conditions": NO_FUNDING_RECORDED,
}
# Levels whose units are operations or their initiatives, where such money has no place.
_OPERATION_LEVELS = frozenset({("operation",), ("initiative",)})


def _funding_beyond_operations(unit_fields, scope: _Scope) -> dict[tuple, dict]:
    """Per unit, the money for every purpose but operations and the grants of any purpose
    carrying conditions, with their breakdowns by purpose and by condition. Each funding record
    falls in the year its period starts and under the organisation that received it (its funder
    when it names none: money for operations), as the release table ``funding_by_purpose``
    counts it. One grouped query by unit, purpose and conditions; the lists of conditions are
    read in Python."""
    if unit_fields in _OPERATION_LEVELS:
        return {}
    funding = scope.apply(
        FundingSource.objects.annotate(
            year=ExtractYear("period_start"),
            state=Coalesce(F("recipient__state"), F("funder__state")),
            county=Coalesce(F("recipient__county"), F("funder__county")),
            agency_id=Coalesce(F("recipient_id"), F("funder_id")),
        )
    ).order_by()
    rows = funding.values(*unit_fields, "purpose", "conditions").annotate(
        amount=Sum("amount"), grants=Count("pk")
    )
    purposes, conditions = vocabulary("funding_purpose"), vocabulary("funding_condition")
    no_condition = set(conditions.codes_where("exclusive", True))
    units: dict[tuple, dict] = {}
    for row in rows:
        unit = units.setdefault(
            _unit(row, unit_fields),
            {
                # None until money beyond operations is found: a unit with operations money
                # only has none, which is not $0 of it.
                "funds_beyond_operations": None,
                "grants_with_conditions": 0,
                "by_purpose": defaultdict(Decimal),
                "by_condition": defaultdict(int),
            },
        )
        if row["purpose"] not in OPERATIONS_PURPOSES:
            unit["funds_beyond_operations"] = (unit["funds_beyond_operations"] or 0) + row["amount"]
            unit["by_purpose"][row["purpose"]] += row["amount"]
        attached = [code for code in row["conditions"] or () if code not in no_condition]
        if attached:
            unit["grants_with_conditions"] += row["grants"]
        for code in attached:
            unit["by_condition"][code] += row["grants"]
    for unit in units.values():
        unit["funding_purpose"] = tuple(
            BreakdownItem(purposes.label(code), unit["by_purpose"][code])
            for code in purposes.codes
            if code in unit["by_purpose"]
        )
        unit["funding_condition"] = tuple(
            BreakdownItem(conditions.label(code), unit["by_condition"][code])
            for code in conditions.codes
            if code in unit["by_condition"]
        )
    return units


@dataclass
class _PublishedTable:
    """One published table's figures within a unit, summed over its operations there."""

    operations: int
    totals: dict[str, int] = field(default_factory=dict)
    printed: dict[str, int] = field(default_factory=dict)

    def measure(self, name: str) -> int | None:
        """The sum, or None unless every operation printed the figure as a number."""
        standard = PUBLISHED_MEASURES[name]
        if self.printed.get(standard, 0) < self.operations:
            return None
        return self.totals[standard]


def _published(unit_fields, scope: _Scope) -> dict[tuple, dict[str, _PublishedTable]]:
    """Per unit, per citation: the published figures, summed over that table's operations."""
    figures = scope.apply(
        AggregateFigure.objects.exclude(measure=CONFLATED_MEASURE).annotate(
            **_operation_attributes("operation")
        )
    ).order_by()
    tables: dict[tuple, dict[str, _PublishedTable]] = defaultdict(dict)
    for row in figures.values(*unit_fields, "citation").annotate(
        operations=Count("operation", distinct=True)
    ):
        tables[_unit(row, unit_fields)][row["citation"]] = _PublishedTable(row["operations"])
    for row in figures.values(*unit_fields, "citation", "measure").annotate(
        total=Sum("value"), printed=Count("value")
    ):
        table = tables[_unit(row, unit_fields)][row["citation"]]
        table.totals[row["measure"]] = row["total"]
        table.printed[row["measure"]] = row["printed"]
    return tables


# --- Units: what one row of a level describes ---------------------------------------------------


def _unit_labels(level: str, units: Iterable[tuple]) -> dict[tuple, str]:
    units = list(units)
    if level == "operation":
        names = Operation.objects.in_bulk([unit[0] for unit in units if unit[0] is not None])
        return {
            unit: names[unit[0]].name if unit[0] in names else OUTSIDE_OPERATIONS for unit in units
        }
    if level == "agency":
        names = Agency.objects.in_bulk([unit[0] for unit in units if unit[0] is not None])
        return {
            unit: names[unit[0]].name if unit[0] in names else "Lead agency not recorded"
            for unit in units
        }
    if level == "initiative":
        return {
            unit: vocabulary("initiative").label(unit[0]) if unit[0] else OUTSIDE_OPERATIONS
            for unit in units
        }
    if level == "county":
        return {
            unit: f"{unit[1] or 'County not recorded'}, {unit[0] or 'state not recorded'}"
            for unit in units
        }
    if level == "state":
        return {unit: unit[0] or "State not recorded" for unit in units}
    if level == "year":
        return {unit: str(unit[0]) for unit in units}
    return dict.fromkeys(units, LEVELS["all"])


# --- Values -------------------------------------------------------------------------------------

Number = int | float | Decimal
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


def _percent(numerator: Number, denominator: Number, rounding: str = ROUND_HALF_UP) -> float:
    """Per 100, to one decimal, halves rounded up (16.795 is 16.8) unless told otherwise."""
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return float(exact.quantize(_TENTH, rounding=rounding))


def _value(indicator: Indicator, numerator: Number, denominator: Number | None):
    if not indicator.denominator_measure:
        return numerator.quantize(_CENT) if indicator.kind == AMOUNT else numerator
    if not denominator:
        return None
    if indicator.kind == AMOUNT:
        return (Decimal(numerator) / Decimal(denominator)).quantize(_CENT, ROUND_HALF_UP)
    return _percent(numerator, denominator)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator's value for one unit of a level (an operation, an agency, a year...), from
    one source: computed from person-level records, or published with its citation.

    ``value`` is None when it cannot be given; ``note`` then says why.
    """

    indicator: Indicator
    unit: tuple
    unit_label: str
    value: Number | None
    numerator: Number | None
    denominator: Number | None
    provenance: str
    citation: str = ""
    note: str = ""
    breakdown: tuple[BreakdownItem, ...] = ()
    incomplete_data: bool = False

    @property
    def display_value(self) -> str:
        return _display(self.indicator.kind, self.value)

    @property
    def display_ratio(self) -> str:
        """Numerator and denominator as the value was computed from them, for ratios."""
        if not self.indicator.denominator_measure or self.denominator is None:
            return ""
        numerator = _display(AMOUNT if self.indicator.kind == AMOUNT else COUNT, self.numerator)
        return f"{numerator} / {_display(COUNT, self.denominator)}"

    @property
    def display_breakdown(self) -> tuple[tuple[str, str], ...]:
        """The breakdown as (label, value shown), values shown like the indicator's own."""
        kind = AMOUNT if self.indicator.kind == AMOUNT else COUNT
        return tuple((item.label, _display(kind, item.value)) for item in self.breakdown)


def _display(kind: str, value: Number | None) -> str:
    if value is None:
        return "—"
    if kind == AMOUNT:
        return f"${value:,.2f}"
    if kind == SHARE:
        return f"{value:.1f} %"
    if kind == RATE_PER_100:
        return f"{value:.1f} per 100"
    if kind == MEDIAN_DAYS:
        return f"{value:,g} days"
    return f"{value:,}"


def _computed_measure(name: str, people: dict | None, funding: _Funding | None):
    """A measure's computed value for a unit, or None and the reason. ``people`` holds the
    unit's counts of people: of operations, or of identifications for their measures; for the
    measures of funding beyond operations, the unit's figures of it."""
    if name in BEYOND_OPERATIONS_MEASURES:
        value = None if people is None else people[name]
        return (None, NO_FUNDING_RECORDED_HERE[name]) if value is None else (value, "")
    if name in FUNDING_MEASURES:
        if funding is None:
            return None, NO_FUNDING_RECORDED
        value = getattr(funding, name)
        return (None, NO_SPENDING_REPORTED) if value is None else (value, "")
    if people is None:
        return None, NO_PERSON_LEVEL_RECORDS
    if people[name] is None:
        return None, _WHY_NO_VALUE[name]
    return people[name], ""


def _computed_row(indicator, unit, label, people, funding, breakdowns, incomplete) -> IndicatorRow:
    numerator, why = _computed_measure(indicator.numerator_measure, people, funding)
    denominator = None
    if indicator.denominator_measure and not why:
        denominator, why = _computed_measure(indicator.denominator_measure, people, funding)
    value = None if why else _value(indicator, numerator, denominator)
    if value is None and not why:
        why = NOBODY_IN_DENOMINATOR
    return IndicatorRow(
        indicator,
        unit,
        label,
        value,
        numerator,
        denominator,
        COMPUTED,
        note=why,
        breakdown=breakdowns.get(indicator.breakdown, {}).get(unit, ()) if not why else (),
        incomplete_data=incomplete,
    )


def _published_row(indicator, unit, label, citation, table: _PublishedTable) -> IndicatorRow:
    measures = [indicator.numerator_measure, indicator.denominator_measure]
    measures = [name for name in measures if name]

    def row(value, numerator=None, denominator=None, note=""):
        return IndicatorRow(
            indicator, unit, label, value, numerator, denominator, PUBLISHED, citation, note
        )

    if any(name in CONFLATED_IN_PUBLISHED for name in measures):
        return row(None, note=TRAFFICKERS_CONFLATED)
    sums = [table.measure(name) for name in measures]
    if any(total is None for total in sums):
        return row(None, note=NOT_PRINTED_FOR_EVERY_OPERATION)
    numerator = sums[0]
    denominator = sums[1] if indicator.denominator_measure else None
    value = _value(indicator, numerator, denominator)
    notes = " ".join(PUBLISHED_NOTES[name] for name in measures if name in PUBLISHED_NOTES)
    return row(value, numerator, denominator, notes if value is not None else NOBODY_IN_DENOMINATOR)


def _answered_by_published(indicator: Indicator) -> bool:
    measures = {indicator.numerator_measure, indicator.denominator_measure} - {""}
    return bool(measures & CONFLATED_IN_PUBLISHED) or measures <= set(PUBLISHED_MEASURES)


def compute(
    level: str,
    *,
    year: int | None = None,
    state: str | None = None,
    agency_id: int | None = None,
    today: datetime.date | None = None,
) -> list[IndicatorRow]:
    """Every measured indicator for every unit of ``level`` with records in scope.

    Rows come in the order of ``INDICATORS``, then by unit; for each indicator and unit, the
    computed value first, then one value per published table that answers it (or says it cannot).
    A unit without person-level records still has a computed row, with no value and a note, so
    that an absent figure is never read as zero. At the agency level, computed rows of an agency
    whose core fields are not covered are marked ``incomplete_data``. The indicators of clocks
    (offers to cooperate, Continued Presence pending) are as of ``today`` (the local date unless
    given). The feedback indicators, about organisations rather than operations, are not counted
    at the initiative and operation levels.
    """
    unit_fields = _unit_fields(level)
    scope = _Scope(year=year, state=state, agency_id=agency_id)
    people = _people_counts(unit_fields, scope, today or timezone.localdate())
    feedback = _feedback_counts(unit_fields, scope)
    identifications = _identification_counts(unit_fields, scope)
    funding = _funding(unit_fields, scope)
    beyond_operations = _funding_beyond_operations(unit_fields, scope)
    published = _published(unit_fields, scope)
    by_item = _people_by_item(unit_fields, scope)
    breakdowns = {
        "accepted_service_type": _service_type_breakdown(by_item["accepted_service_type"]),
        "prosecuted_for": _prosecuted_for_breakdown(by_item["prosecuted_for"]),
        "charge_level": {unit: _charge_level_breakdown(row) for unit, row in people.items()},
        "funding_category_received": {
            unit: tuple(f.received_by_category) for unit, f in funding.items()
        },
        "funding_category_spent": {unit: tuple(f.spent_by_category) for unit, f in funding.items()},
        **{
            name: {unit: row[name] for unit, row in beyond_operations.items()}
            for name in ("funding_purpose", "funding_condition")
        },
        **{
            name: {unit: row.get(name, ()) for unit, row in identifications.items()}
            for name in IDENTIFICATION_BREAKDOWNS
        },
    }
    incomplete = (
        {agency_id for agency_id, fields in _coverage().items() if not _all_covered(fields)}
        if level == "agency"
        else set()
    )
    operation_units = {*people, *funding, *published}
    labels = _unit_labels(
        level, {*operation_units, *identifications, *beyond_operations, *feedback}
    )
    units = sorted(labels, key=lambda unit: labels[unit])
    rows = []
    for indicator in INDICATORS:
        if not indicator.is_measured:
            continue
        counted = indicator.numerator_measure in IDENTIFICATION_MEASURES
        beyond = indicator.numerator_measure in BEYOND_OPERATIONS_MEASURES
        about_organisations = indicator.numerator_measure in FEEDBACK_MEASURES
        if beyond and unit_fields in _OPERATION_LEVELS:
            continue
        if about_organisations and unit_fields in _OPERATION_LEVELS:
            continue
        for unit in units:
            # A unit of people identified outside any operation (an organisation that only
            # identifies, "identified outside any operation") has nothing of operations to show.
            if not (counted or beyond or about_organisations) and unit not in operation_units:
                continue
            if about_organisations:
                # No feedback about an organisation is a count of 0, not a missing figure:
                # feedback is not a record an agency may have failed to keep.
                counts = feedback.get(unit, _NO_FEEDBACK)
            else:
                measured = identifications if counted else beyond_operations if beyond else people
                counts = measured.get(unit)
            rows.append(
                _computed_row(
                    indicator,
                    unit,
                    labels[unit],
                    counts,
                    funding.get(unit),
                    breakdowns,
                    # The label is about the agency's records of people, not about feedback.
                    incomplete=level == "agency"
                    and not about_organisations
                    and unit[0] in incomplete,
                )
            )
            if _answered_by_published(indicator):
                rows += [
                    _published_row(indicator, unit, labels[unit], citation, table)
                    for citation, table in sorted(published.get(unit, {}).items())
                ]
    return rows


# --- Disparities --------------------------------------------------------------------------------


def _race_recorded() -> Q:
    """At least one race or ethnicity category (not 'not recorded') in the JSON list, matched as
    quoted text so that it runs on SQLite and PostgreSQL."""
    race = vocabulary("race_ethnicity")
    not_recorded = race.codes_where("exclusive", True)
    categories = [code for code in race.codes if code not in not_recorded]
    return reduce(operator.or_, (Q(race_text__contains=f'"{code}"') for code in categories))


def _demographic_groups() -> list[tuple[str, str, str, str, Q]]:
    """(dimension, dimension label, code, label, who has it) for every race or ethnicity and
    every gender identity."""
    race = vocabulary("race_ethnicity")
    not_recorded = race.codes_where("exclusive", True)
    groups = [
        (
            "race_ethnicity",
            "Race or ethnicity",
            term.code,
            term.label,
            ~_race_recorded()
            if term.code in not_recorded
            else Q(race_text__contains=f'"{term.code}"'),
        )
        for term in race.terms
    ]
    groups += [
        ("gender_identity", "Gender identity", term.code, term.label, Q(gender_identity=term.code))
        for term in vocabulary("gender_identity").terms
    ]
    return groups


@dataclass(frozen=True)
class DisparityRow:
    """One race, ethnicity or gender group within one unit: its share of the arrests of people
    selling sex against its share of the victims identified."""

    unit: tuple
    unit_label: str
    dimension: str
    dimension_label: str
    code: str
    label: str
    selling_sex_arrests: int
    all_selling_sex_arrests: int
    victims: int
    all_victims: int

    @property
    def share_of_selling_sex_arrests(self) -> float | None:
        if not self.all_selling_sex_arrests:
            return None
        return _percent(self.selling_sex_arrests, self.all_selling_sex_arrests)

    @property
    def share_of_victims(self) -> float | None:
        return _percent(self.victims, self.all_victims) if self.all_victims else None

    @property
    def gap(self) -> float | None:
        """Share of arrests minus share of victims, in percentage points: above 0, the group is
        arrested for selling sex more often than it is identified as victims."""
        arrests, victims = self.share_of_selling_sex_arrests, self.share_of_victims
        if arrests is None or victims is None:
            return None
        return round(arrests - victims, 1)


def disparities(
    level: str, *, year: int | None = None, state: str | None = None, agency_id: int | None = None
) -> list[DisparityRow]:
    """For every unit of ``level`` and every race, ethnicity and gender group with people arrested
    for selling sex or identified as victims: the two shares, in one grouped query."""
    unit_fields = _unit_fields(level)
    scope = _Scope(year=year, state=state, agency_id=agency_id)
    selling_sex = Q(arrest_category=facts.SELLING_SEX)
    victim = Q(is_victim=True)
    groups = _demographic_groups()
    counts: dict[str, Count] = {
        "all_selling_sex_arrests": Count("pk", filter=selling_sex),
        "all_victims": Count("pk", filter=victim),
    }
    for dimension, _, code, _, who in groups:
        counts[f"arrests__{dimension}__{code}"] = Count("pk", filter=selling_sex & who)
        counts[f"victims__{dimension}__{code}"] = Count("pk", filter=victim & who)
    rows = {
        _unit(row, unit_fields): row
        for row in _grouped(scope.apply(_indicator_facts()), unit_fields, **counts)
        if row["all_selling_sex_arrests"] or row["all_victims"]
    }
    labels = _unit_labels(level, rows)
    disparity_rows = []
    for dimension, dimension_label, code, label, _ in groups:
        for unit in sorted(rows, key=lambda unit: labels[unit]):
            row = rows[unit]
            arrests = row[f"arrests__{dimension}__{code}"]
            victims = row[f"victims__{dimension}__{code}"]
            if arrests or victims:
                disparity_rows.append(
                    DisparityRow(
                        unit,
                        labels[unit],
                        dimension,
                        dimension_label,
                        code,
                        label,
                        arrests,
                        row["all_selling_sex_arrests"],
                        victims,
                        row["all_victims"],
                    )
                )
    return disparity_rows


# --- Data completeness --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoreField:
    name: str
    label: str
    recorded: Q


def core_fields() -> tuple[CoreField, ...]:
    """The fields every indicator leans on, and what counts as recorded for each."""
    return (
        CoreField("age_group", "Age group", ~Q(age_group="unknown")),
        CoreField("gender_identity", "Gender identity", ~Q(gender_identity="not_recorded")),
        CoreField("race_ethnicity", "Race or ethnicity", _race_recorded()),
        CoreField("citizenship_status", "Citizenship status", ~Q(citizenship_status="unknown")),
        CoreField("role", "Role", ~Q(role="unknown")),
        CoreField("interpreter", "Interpreter", ~Q(interpreter="unknown")),
        CoreField("primary_language", "Primary language", ~Q(primary_language="unknown")),
    )


@dataclass(frozen=True)
class FieldCoverage:
    name: str
    label: str
    recorded: int
    people: int

    # Rounded away from the threshold, so that a field not covered never shows as 70.0 %.
    @property
    def share_recorded(self) -> float:
        return _percent(self.recorded, self.people, rounding=ROUND_DOWN)

    @property
    def share_not_recorded(self) -> float:
        return _percent(self.people - self.recorded, self.people, rounding=ROUND_UP)

    @property
    def covered(self) -> bool:
        # Compared on the counts, not the rounded share: 69.96 % is below 70 %.
        return self.recorded * 100 >= COVERAGE_THRESHOLD * self.people


@dataclass(frozen=True)
class AgencyCompleteness:
    agency_id: int
    agency_name: str
    people: int
    fields: tuple[FieldCoverage, ...]

    @property
    def is_incomplete(self) -> bool:
        return not _all_covered(self.fields)

    @property
    def score(self) -> float | None:
        """The mean share recorded over the core fields; None for incomplete data, which gets
        the label instead of a score."""
        if self.is_incomplete:
            return None
        return _percent(sum(f.recorded for f in self.fields), self.people * len(self.fields))

    @property
    def label(self) -> str:
        return INCOMPLETE_DATA if self.is_incomplete else f"{self.score:.1f} %"


def _coverage(agency_id: int | None = None) -> dict[int, tuple[FieldCoverage, ...]]:
    """Per lead agency with person-level records (or the one agency asked for), the coverage of
    each core field; one grouped query, without the agencies' names, which ``compute`` does not
    need to mark incomplete data."""
    fields = core_fields()
    people = _indicator_facts().filter(agency_id__isnull=False)
    if agency_id is not None:
        people = people.filter(agency_id=agency_id)
    rows = people.values("agency_id").annotate(
        people=Count("pk"),
        **{f"recorded__{f.name}": Count("pk", filter=f.recorded) for f in fields},
    )
    return {
        row["agency_id"]: tuple(
            FieldCoverage(f.name, f.label, row[f"recorded__{f.name}"], row["people"])
            for f in fields
        )
        for row in rows
    }


def _all_covered(fields: Iterable[FieldCoverage]) -> bool:
    return all(coverage.covered for coverage in fields)


def completeness(agency_id: int | None = None) -> list[AgencyCompleteness]:
    """Per lead agency with person-level records (or the one agency asked for), the share of its
    people for whom each core field is recorded."""
    coverage = _coverage(agency_id)
    names = Agency.objects.in_bulk(list(coverage))
    return sorted(
        (
            AgencyCompleteness(agency, names[agency].name, fields[0].people, fields)
            for agency, fields in coverage.items()
        ),
        key=lambda agency: agency.agency_name,
    )


def is_incomplete(agency_id: int) -> bool:
    """Whether the agency gets the label "incomplete data". An agency with no person-level
    records has nothing to label and is not incomplete: its indicators say there are no records."""
    return any(agency.is_incomplete for agency in completeness(agency_id))
