"""Synthetic encounter-level data in the exchange format, for the demo and for tests.

Everything made here is invented and labelled so: every operation has the data origin
``synthetic`` and a name that begins with "Synthetic", every agency's name too, and the directory
carries a README saying so. No real person, place or operation is described.

The proportions follow the published figures (the 2021 report's Tables 2-4 and 9): most people
encountered are selling or buying sex, pimping/pandering/supervising is a few per cent of arrests,
suspected traffickers fewer still, identified victims about one encounter in ten, and some of
those victims are arrested or cited, as Table 9 of the 2021 report shows.

Beside the operations, the victim-service provider and the police record people identified outside
any operation (issue 21): through every pathway of the identification_pathway vocabulary, at least
once each, and mostly in sectors other than commercial sex, as the 2009 report found ("Ninety
percent of our cases are not from raids", 000:521-523).

Some people arrested as sellers in the operations of the Harbor County agencies are met again:
identified as victims in a later operation, or by the provider. Their records are linked, as the
agencies and the provider of one linkage group would link them, by the keyed hash of a synthetic
booking number (``SYN-BK-…``, never written anywhere): so the indicators of arrests before
identification and of repeated contacts have something to count (issue 21, item 3). A few
victims identified in an operation, never arrested, come back to the provider too: contacts repeat
without an arrest before identification.

The output depends on the seed and the deployment's linkage key alone: a ``random.Random(seed)``
draws every value, the codes and booking numbers included, and the links are made under the key,
so the same seed always writes the same bytes on one deployment.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from beyondraid.core import spreadsheets
from beyondraid.core.codes import ALPHABET, GROUP_LENGTH, GROUPS

from . import linkage
from .exchange import TABLES, TABLES_BY_NAME
from .vocabulary import vocabulary

MAX_OPERATIONS = 10_000
README_NAME = "README.txt"
WRITTEN_FILES = frozenset({README_NAME, *(f"{table.name}.csv" for table in TABLES)})

Rows = dict[str, list[dict[str, str]]]

_FIRST_DAY = datetime.date(2021, 1, 4)
# Operations end by mid-2024 so that six-month follow-ups recorded as done lie in the past.
_LAST_DAY = datetime.date(2024, 6, 28)
_SIX_MONTHS = 182


@dataclass(frozen=True)
class _Agency:
    name: str
    kind: str
    county: str
    city: str = ""
    population: int | None = None
    linkage_group: str = ""


# The Harbor County police and the provider agreed to link the contacts of the people they meet;
# Mesa Alta links only its own.
_HARBOR_LINKAGE = "Synthetic Harbor County linkage group"
_POLICE = (
    _Agency(
        "Synthetic Bayview Police Department",
        "local_police",
        "Harbor County",
        "Bayview",
        410_000,
        _HARBOR_LINKAGE,
    ),
    _Agency(
        "Synthetic Harbor County Sheriff's Department",
        "sheriff",
        "Harbor County",
        population=1_250_000,
        linkage_group=_HARBOR_LINKAGE,
    ),
    _Agency(
        "Synthetic Mesa Alta Police Department",
        "local_police",
        "Sierra Norte County",
        "Mesa Alta",
        180_000,
    ),
)
_PROSECUTOR = _Agency(
    "Synthetic Harbor County District Attorney", "prosecutor", "Harbor County", population=1_250_000
)
_PROVIDER = _Agency(
    "Synthetic Safe Passage Survivor Services",
    "victim_service_provider",
    "Harbor County",
    "Bayview",
    linkage_group=_HARBOR_LINKAGE,
)
# Organisations that refer people to the provider; none of them takes part in an operation.
_CLINIC = _Agency("Synthetic Harbor County Community Clinic", "other", "Harbor County", "Bayview")
_INTERFAITH = _Agency(
    "Synthetic Harbor Interfaith Council", "other", "Harbor County", "Port Linden"
)
_WORKERS_CENTER = _Agency(
    "Synthetic Bayview Workers' Rights Center", "other", "Harbor County", "Bayview"
)
_COURT = _Agency("Synthetic Harbor County Superior Court", "other", "Harbor County", "Bayview")
_REFERRERS = (_CLINIC, _INTERFAITH, _WORKERS_CENTER, _COURT)
_CITIES_OF = {
    "Harbor County": ("Bayview", "Port Linden", "Cedar Flats"),
    "Sierra Norte County": ("Mesa Alta",),
}

_VICTIM_ROLES = frozenset(vocabulary("role").codes_where("is_victim", True))


@dataclass(frozen=True)
class _Profile:
    """How one type of operation goes: its size, whom it meets, where and why."""

    label: str
    weight: int
    encounters: tuple[int, int]
    roles: dict[str, int]
    venues: tuple[str, ...]
    triggers: tuple[str, ...]
    objective: str
    sector_focus: tuple[str, ...] = ("commercial_sex",)


_PROFILES = {
    "sweep": _Profile(
        "sweep",
        34,
        (12, 28),
        {
            "adult_in_commercial_sex": 52,
            "buyer": 34,
            "other_third_party": 5,
            "suspected_trafficker": 1,
            "suspected_victim": 7,
            "witness": 1,
        },
        ("street",),
        ("patrol_known_area", "community_complaint_sex_work"),
        "Arrest people selling and buying sex on a corridor named in community complaints.",
    ),
    "reverse_sting": _Profile(
        "reverse sting",
        26,
        (8, 22),
        {
            "buyer": 88,
            "adult_in_commercial_sex": 4,
            "other_third_party": 3,
            "suspected_trafficker": 1,
            "suspected_victim": 4,
        },
        ("online", "hotel"),
        ("community_complaint_sex_work", "patrol_known_area"),
        "Arrest buyers who answer a decoy advertisement placed by officers.",
    ),
    "sting": _Profile(
        "sting",
        25,
        (6, 16),
        {
            "adult_in_commercial_sex": 74,
            "suspected_victim": 13,
            "other_third_party": 6,
            "suspected_trafficker": 3,
            "buyer": 4,
        },
        ("online", "hotel"),
        ("tip", "patrol_known_area"),
        "Contact people advertising sex online and screen them for trafficking indicators.",
    ),
    "raid": _Profile(
        "raid",
        10,
        (3, 10),
        {
            "adult_in_commercial_sex": 42,
            "suspected_victim": 30,
            "suspected_trafficker": 14,
            "other_third_party": 12,
            "witness": 2,
        },
        ("massage_business", "residence"),
        ("tip", "targeted_investigation"),
        "Execute a search warrant at a business where a tip alleged forced commercial sex.",
        ("massage_and_spa", "commercial_sex"),
    ),
    "investigation_led_contact": _Profile(
        "investigation-led contact",
        5,
        (1, 4),
        {
            "suspected_victim": 60,
            "adult_in_commercial_sex": 20,
            "suspected_trafficker": 10,
            "witness": 10,
        },
        ("residence", "hotel"),
        ("targeted_investigation", "victim_self_report", "service_provider_referral"),
        "Approach people named in an investigation, voluntarily, with an advocate present.",
    ),
}


@dataclass(frozen=True)
class _Operation:
    code: str
    operation_type: str
    profile: _Profile
    start: datetime.date
    end: datetime.date
    lead: _Agency
    city: str
    services_present: bool


_INITIATIVES = {"local": 70, "operation_reclaim_and_rebuild": 20, "operation_cross_country": 10}
_DAYS = {
    "local": (0, 2),
    "operation_reclaim_and_rebuild": (4, 6),
    "operation_cross_country": (2, 2),
}

_ADULT_AGES = {
    "seller": {"18_24": 38, "25_34": 36, "35_and_over": 14, "adult_group_unknown": 9, "unknown": 3},
    "buyer": {"18_24": 9, "25_34": 30, "35_and_over": 54, "adult_group_unknown": 5, "unknown": 2},
    "third": {"18_24": 24, "25_34": 46, "35_and_over": 25, "adult_group_unknown": 5},
}
_MINOR_AGES = {"15_17": 70, "12_14": 20, "minor_group_unknown": 10}
_GENDERS = {
    "seller": {"woman": 82, "transgender_woman": 8, "man": 6, "non_binary": 2, "not_recorded": 2},
    "buyer": {"man": 94, "woman": 2, "not_recorded": 4},
    "third": {"man": 70, "woman": 27, "not_recorded": 3},
}
_RACES = {
    "black_african_american": 30,
    "hispanic_latino": 34,
    "white": 20,
    "asian": 10,
    "american_indian_alaska_native": 2,
    "native_hawaiian_pacific_islander": 1,
    "middle_eastern_north_african": 3,
}
_FOREIGN_LANGUAGES = {"es": 40, "zh": 18, "ko": 14, "th": 6, "vi": 6, "tl": 6, "ru": 5, "other": 5}

_CHARGES = {
    "seller": {"ca-pc-647b": 80, "ca-pc-653-22": 15, "other-drug-possession": 5},
    "buyer": {"ca-pc-647b": 1},
    "other_third_party": {"ca-pc-266h": 35, "ca-pc-266i": 25, "ca-pc-653-23": 40},
    "suspected_trafficker": {"ca-pc-266h": 40, "ca-pc-236-1": 40, "us-18-1591": 20},
    "minor": {"other-curfew": 1},
}
_DISPOSITIONS = {
    "pending": 28,
    "dismissed": 30,
    "diverted": 20,
    "convicted_as_charged": 10,
    "convicted_lesser": 10,
    "acquitted": 2,
}
_VICTIM_SERVICES = (
    "emergency_shelter",
    "trafficking_shelter",
    "basic_needs",
    "medical_care",
    "crisis_counselling",
    "legal_services",
)
_ADULT_SERVICES = (
    "substance_use",
    "record_clearing",
    "basic_needs",
    "medical_care",
    "job_training",
)
_RESPONSES = {"accepted": 45, "declined": 25, "deferred": 15, "no_answer_yet": 15}
# The form of trafficking alleged for a person met in an operation, by their role there.
_FORM_OF_ROLE = {
    "suspected_victim": "sex",
    "suspected_trafficker": "sex",
    "adult_in_commercial_sex": "none_alleged",
    "buyer": "none_alleged",
}

# People identified outside any operation: how they came, and the organisations involved.
_OUTSIDE_PATHWAYS = tuple(
    code
    for code in vocabulary("identification_pathway").codes
    if not vocabulary("identification_pathway").term(code).attributes["through_operation"]
)
_PATHWAYS = {
    "self_referral": 18,
    "community_or_faith_organisation": 14,
    "another_survivor": 10,
    "hotline": 10,
    "hospital_or_clinic": 8,
    "court_based": 6,
    "labour_inspection_or_advocate": 10,
    "immigration_proceedings": 6,
    "school": 3,
    "other_law_enforcement": 10,
    "other": 5,
}
_REFERRER_OF = {
    "community_or_faith_organisation": _INTERFAITH,
    "hospital_or_clinic": _CLINIC,
    "labour_inspection_or_advocate": _WORKERS_CENTER,
    "court_based": _COURT,
}
_SECTORS = {
    "domestic_work": 16,
    "agriculture": 14,
    "restaurants_and_food": 14,
    "construction": 8,
    "manufacturing": 8,
    "hospitality_and_cleaning": 10,
    "massage_and_spa": 8,
    "commercial_sex": 18,
    "other": 4,
}
# A labour advocate or inspector meets people at work outside commercial sex.
_LABOUR_SECTORS = {
    "agriculture": 30,
    "construction": 20,
    "restaurants_and_food": 20,
    "manufacturing": 20,
    "hospitality_and_cleaning": 10,
}

_README = """\
SYNTHETIC DATA - describes no real person, operation or agency.

Made by `beyondraid synth --operations {operations} --seed {seed}` for demonstration and testing
of Beyond the Raid. Every operation has data_origin "synthetic" and a name beginning with
"Synthetic"; every agency's name begins with "Synthetic". The proportions imitate published
figures (most people encountered sell or buy sex; few identified victims; some victims arrested),
but no row is a record of anything that happened.

Some people were identified outside any operation, by the synthetic provider or police: they have no
operation_code, and their data_origin is "synthetic" too.

Some people arrested in an operation were identified as victims later: their encounters share a
person_link, the keyed hash of a synthetic booking number under this deployment's linkage key.

The CSV files follow the exchange format: one file per table, the header names its columns, lists
are separated by semicolons and dates are written YYYY-MM-DD. Load them with
`beyondraid load_exchange DIRECTORY`.
"""


class SynthError(ValueError):
    """An option or an output directory synth cannot use; the message says what to change."""


def generate(*, operations: int, seed: int) -> Rows:
    """Return the rows of every exchange table, as strings, for ``operations`` operations."""
    if not 1 <= operations <= MAX_OPERATIONS:
        raise SynthError(
            f"--operations must be between 1 and {MAX_OPERATIONS}; {operations} was given."
        )
    return _Generator(random.Random(seed)).run(operations)


def check_output_directory(directory: Path) -> None:
    """Refuse a file, or a directory holding files synth does not write; whether the directory
    can be written is found when writing."""
    if directory.exists() and not directory.is_dir():
        raise SynthError(f"{directory} is a file, not a directory; choose a directory for --out.")
    if directory.is_dir():
        foreign = sorted(p.name for p in directory.iterdir() if p.name not in WRITTEN_FILES)
        if foreign:
            shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
            raise SynthError(
                f"{directory} already holds files synth does not write ({shown}); "
                "choose an empty or new directory for --out."
            )


def write(rows: Rows, directory: Path, *, operations: int, seed: int) -> list[Path]:
    """Write one CSV per exchange table and the README into ``directory``."""
    check_output_directory(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for table in TABLES:
            path = directory / f"{table.name}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = spreadsheets.dict_writer(handle, fieldnames=table.column_names)
                writer.writeheader()
                writer.writerows(rows[table.name])
            written.append(path)
        readme = directory / README_NAME
        readme.write_text(_README.format(operations=operations, seed=seed), encoding="utf-8")
    except OSError as error:
        raise SynthError(
            f"Cannot write to {directory}: {error.strerror or error}; "
            "choose a directory you can write to."
        ) from None
    return [*written, readme]


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


class _Generator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: Rows = {table.name: [] for table in TABLES}
        self.codes: set[str] = set()

    def run(self, operations: int) -> Rows:
        for agency in (*_POLICE, _PROSECUTOR, _PROVIDER, *_REFERRERS):
            self._row(
                "agencies",
                name=agency.name,
                kind=agency.kind,
                state="CA",
                county=agency.county,
                city=agency.city,
                population_served=str(agency.population or ""),
                linkage_group=agency.linkage_group,
            )
        for number in range(1, operations + 1):
            self._operation(number)
        # After every operation, so that an operation's rows are the same whatever is added here.
        for number in range(max(len(_OUTSIDE_PATHWAYS), 2 * operations)):
            # Every pathway once first, so that even a small dataset shows each of them.
            pathway = (
                _OUTSIDE_PATHWAYS[number]
                if number < len(_OUTSIDE_PATHWAYS)
                else self._weighted(_PATHWAYS)
            )
            _Identified(self, pathway).record()
        # Last, so that every row above is the same whatever is linked here.
        _Linker(self).link()
        return self.rows

    # Drawing -----------------------------------------------------------------------------------

    def _chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def _weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _pick(self, options: Sequence[str]) -> str:
        return self.rng.choice(options)

    def _after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def _code(self, prefix: str) -> str:
        """A code in the format of ``beyondraid.core.codes``, drawn from the seeded generator."""
        while True:
            groups = (
                "".join(self.rng.choice(ALPHABET) for _ in range(GROUP_LENGTH))
                for _ in range(GROUPS)
            )
            code = f"{prefix}-" + "-".join(groups)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _row(self, table: str, **values: str) -> None:
        columns = TABLES_BY_NAME[table].column_names
        self.rows[table].append({name: values.pop(name, "") for name in columns})
        if values:
            raise KeyError(f"{table} has no column {', '.join(values)}.")

    # Operations --------------------------------------------------------------------------------

    def _operation(self, number: int) -> None:
        operation_type = self._weighted({name: p.weight for name, p in _PROFILES.items()})
        profile = _PROFILES[operation_type]
        initiative = self._weighted(_INITIATIVES)
        span = (_LAST_DAY - _FIRST_DAY).days
        start = _FIRST_DAY + datetime.timedelta(days=self.rng.randint(0, span))
        lead = self.rng.choice(_POLICE)
        operation = _Operation(
            code=self._code("OP"),
            operation_type=operation_type,
            profile=profile,
            start=start,
            end=self._after(start, *_DAYS[initiative]),
            lead=lead,
            city=lead.city or self._pick(_CITIES_OF[lead.county]),
            services_present=self._chance(0.4),
        )
        self._row(
            "operations",
            operation_code=operation.code,
            name=f"Synthetic operation {number:04d} — {profile.label} in {operation.city}",
            initiative=initiative,
            operation_type=operation_type,
            start_date=_iso(operation.start),
            end_date=_iso(operation.end),
            stated_objective=f"{profile.objective} (Synthetic: describes no real operation.)",
            trigger=(
                "scheduled_initiative" if initiative != "local" else self._pick(profile.triggers)
            ),
            data_origin="synthetic",
            sector_focus=";".join(profile.sector_focus),
        )
        parts = [(lead, "lead")]
        others = [police for police in _POLICE if police is not lead]
        parts += [(p, "participant") for p in self.rng.sample(others, self.rng.randint(0, 2))]
        parts += [(_PROSECUTOR, "prosecutor")] if self._chance(0.7) else []
        parts += [(_PROVIDER, "victim_services")] if operation.services_present else []
        for agency, part in parts:
            self._row(
                "operation_agencies", operation_code=operation.code, agency=agency.name, part=part
            )
        venues = self.rng.sample(profile.venues, 1 if self._chance(0.8) else len(profile.venues))
        for venue in venues:
            self._row(
                "operation_places",
                operation_code=operation.code,
                state="CA",
                county=lead.county,
                city=operation.city,
                venue_type=venue,
            )
        for _ in range(self.rng.randint(*profile.encounters)):
            _Person(self, operation).record()


class _Person:
    """One person encountered, and everything recorded about them."""

    def __init__(self, generator: _Generator, operation: _Operation):
        self.g = generator
        self.operation = operation
        self.code = generator._code("E")
        self.day = generator._after(operation.start, 0, (operation.end - operation.start).days)
        self.role = generator._weighted(operation.profile.roles)
        self.minor = self.role == "suspected_victim" and generator._chance(0.35)
        # Set by _roles: whether any assessment, at the encounter or later, found a victim.
        self.ever_victim = self.role in _VICTIM_ROLES
        self.charged_statutes: list[str] = []

    @property
    def group(self) -> str:
        if self.role == "buyer":
            return "buyer"
        if self.role in {"other_third_party", "suspected_trafficker", "witness"}:
            return "third"
        return "seller"

    def record(self) -> None:
        self._encounter()
        self._roles()
        self._treatment()
        self._services()
        self._cooperation()
        self._follow_up()

    def _row(self, table: str, **values: str) -> None:
        self.g._row(table, encounter_code=self.code, **values)

    def _encounter(self) -> None:
        g = self.g
        if self.minor:
            age_group = g._weighted(_MINOR_AGES)
            determination = g._weighted(
                {
                    "document": 40,
                    "self_reported": 30,
                    "officer_estimate": 15,
                    "consensual_medical_examination": 5,
                    "not_recorded": 10,
                }
            )
        else:
            age_group = g._weighted(_ADULT_AGES[self.group])
            determination = (
                "not_recorded"
                if age_group in {"adult_group_unknown", "unknown"}
                else g._weighted(
                    {
                        "self_reported": 35,
                        "document": 35,
                        "officer_estimate": 10,
                        "not_recorded": 20,
                    }
                )
            )
        if self.minor:
            entered_as_minor = "yes"
        elif self.group == "seller":
            entered_as_minor = g._weighted({"yes": 15, "no": 35, "unknown": 50})
        else:
            entered_as_minor = "unknown"
        massage = self.operation.operation_type == "raid" and self.group == "seller"
        citizenship = g._weighted(
            {
                "undocumented": 35,
                "other_lawful_status": 15,
                "lawful_permanent_resident": 10,
                "us_citizen": 10,
                "unknown": 30,
            }
            if massage
            else {
                "us_citizen": 58,
                "unknown": 27,
                "undocumented": 7,
                "lawful_permanent_resident": 5,
                "other_lawful_status": 3,
            }
        )
        self.foreign = citizenship not in {"us_citizen", "unknown"}
        if self.foreign:
            language = g._weighted({"en": 15, **_FOREIGN_LANGUAGES})
        elif citizenship == "us_citizen":
            language = g._weighted({"en": 94, "es": 6})
        else:
            language = g._weighted({"en": 70, "es": 14, "unknown": 16})
        if language == "en":
            interpreter = "not_needed"
        elif language == "unknown":
            interpreter = "unknown"
        else:
            interpreter = g._weighted(
                {"provided": 50, "needed_not_provided": 30, "not_needed": 10, "unknown": 10}
            )
        self.needs_interpreter = interpreter in {"provided", "needed_not_provided"}
        if g._chance(0.3):
            races = ["not_recorded"]
        else:
            races = [g._weighted({"asian": 70, **_RACES} if massage else _RACES)]
            if g._chance(0.1):
                second = g._weighted(_RACES)
                races += [second] if second not in races else []
        g._row(
            "encounters",
            encounter_code=self.code,
            operation_code=self.operation.code,
            identification_pathway="law_enforcement_operation",
            # Read from what the person is, never drawn: the operations' rows stay those of
            # datasets made before these columns were.
            work_sector=(
                "not_recorded"
                if self.role == "witness"
                else "massage_and_spa"
                if massage
                else "commercial_sex"
            ),
            trafficking_form=_FORM_OF_ROLE.get(self.role, "not_recorded"),
            data_origin="synthetic",
            encountered_on=_iso(self.day),
            age_group=age_group,
            age_determination=determination,
            entered_as_minor=entered_as_minor,
            gender_identity=g._weighted(_GENDERS[self.group]),
            citizenship_status=citizenship,
            primary_language=language,
            interpreter=interpreter,
            race_ethnicity=";".join(races),
        )

    def _assess(self, role: str, basis: str, day: datetime.date, stage: str) -> None:
        self._row("role_assessments", role=role, basis=basis, stage=stage, assessed_on=_iso(day))

    def _roles(self) -> None:
        g = self.g
        basis = {
            "suspected_victim": "minor_by_age"
            if self.minor
            else g._pick(("screening_indicators", "self_identified")),
            "adult_in_commercial_sex": g._pick(
                ("screening_indicators", "investigation", "agency_record")
            ),
            "buyer": "investigation",
            "other_third_party": "investigation",
            "suspected_trafficker": "investigation",
            "witness": "self_identified",
        }[self.role]
        self._assess(self.role, basis, self.day, "at_encounter")
        later = g._after(self.day, 2, 45)
        # A person arrested as a seller and identified as a victim later surfaces in an alert then.
        if self.role == "suspected_victim":
            if g._chance(0.5 if self.minor else 0.3):
                self._assess(
                    "confirmed_victim",
                    "minor_by_age" if self.minor else "investigation",
                    later,
                    "later",
                )
            elif not self.minor and g._chance(0.2):
                self._assess("adult_in_commercial_sex", "screening_indicators", later, "later")
        elif self.role == "adult_in_commercial_sex" and g._chance(0.05):
            self.ever_victim = True
            self._assess("suspected_victim", "screening_indicators", later, "later")
        elif self.role == "other_third_party" and g._chance(0.1):
            self._assess("suspected_trafficker", "investigation", later, "later")
        elif self.role == "suspected_trafficker" and g._chance(0.2):
            self._assess("other_third_party", "investigation", later, "later")

    def _event(self, kind: str, **details: str) -> None:
        self._row("treatment_events", kind=kind, occurred_on=_iso(self.day), **details)

    def _treatment(self) -> None:
        g = self.g
        victim = self.role in _VICTIM_ROLES
        if victim:
            harm = g._weighted({"arrested": 18, "cited": 10, "none": 72})
        elif self.role == "witness":
            harm = "none"
        elif self.group == "third":
            harm = g._weighted({"arrested": 92, "cited": 8})
        elif self.group == "buyer":
            harm = g._weighted({"arrested": 55, "cited": 45})
        else:
            harm = g._weighted({"arrested": 60, "cited": 30, "none": 10})
        if victim or (self.group == "seller" and g._chance(0.35)):
            self._screening(victim)
        if harm == "arrested":
            if g._chance(0.7):
                self._event("restrained")
            if self.minor:
                basis = g._weighted(
                    {"outstanding_warrant": 60, "not_recorded": 25, "probable_cause": 15}
                )
            elif victim:
                basis = g._weighted(
                    {
                        "probable_cause": 55,
                        "material_witness_warrant": 15,
                        "outstanding_warrant": 15,
                        "not_recorded": 15,
                    }
                )
            else:
                basis = g._weighted(
                    {"probable_cause": 85, "outstanding_warrant": 10, "not_recorded": 5}
                )
            self._event("arrested", arrest_basis=basis)
            self._event("fingerprinted")
        elif harm == "cited":
            self._event("cited")
        if (victim or self.role == "suspected_trafficker") and g._chance(0.6):
            self._interview(victim)
        if victim:
            if self.foreign and g._chance(0.25):
                self._event("immigration_referral")
            for kind, probability in (
                ("basic_needs_provided", 0.6),
                ("contact_allowed", 0.4),
                ("sheltered", 0.3),
            ):
                if g._chance(probability):
                    self._event(kind)
        elif g._chance(0.2):
            self._event("property_seized")
        self._event("released")
        if harm != "none" and not (self.minor and g._chance(0.5)):
            self._charge()

    def _screening(self, victim: bool) -> None:
        g = self.g
        self._event(
            "screened",
            screener=g._weighted(
                {
                    "officer": 40,
                    "nonprofit_advocate": 25,
                    "law_enforcement_advocate": 20,
                    "federal_victim_specialist": 10,
                    "other": 5,
                }
            ),
            screening_tool=g._weighted(
                {
                    "standard_instrument": 30,
                    "agency_checklist": 35,
                    "informal_questions": 30,
                    "not_recorded": 5,
                }
            ),
            screening_result=(
                g._weighted({"indicators_present": 80, "inconclusive": 20})
                if victim
                else g._weighted({"no_indicators": 60, "inconclusive": 20, "declined": 20})
            ),
        )

    def _interview(self, victim: bool) -> None:
        g = self.g
        self._event(
            "interviewed",
            interview_location=g._weighted(
                {"scene": 40, "station": 40, "neutral_site": 15, "other": 5}
            ),
            advocate_present=g._weighted({"yes": 42, "no": 43, "declined": 5, "unknown": 10})
            if victim
            else "no",
            basic_needs_before=g._weighted({"yes": 50, "no": 35, "unknown": 15}),
            attorney_present=g._weighted({"no": 75, "yes": 10, "unknown": 15}),
        )

    def _charge(self) -> None:
        g = self.g
        if self.minor:
            weights = _CHARGES["minor"]
        elif self.role in _CHARGES:
            weights = _CHARGES[self.role]
        else:
            weights = _CHARGES["seller"]
        statute = g._weighted(weights)
        charged_on = g._after(self.day, 0, 2)
        disposition = g._weighted(_DISPOSITIONS)
        decided = None if disposition == "pending" else g._after(charged_on, 14, 200)
        self._row(
            "charges",
            statute_code=statute,
            charged_on=_iso(charged_on),
            disposition=disposition,
            disposition_on=_iso(decided),
        )
        if disposition != "dismissed":
            self.charged_statutes.append(statute)

    def _services(self) -> None:
        g = self.g
        if self.ever_victim:
            if not g._chance(0.85):
                return
            pool = list(_VICTIM_SERVICES)
            pool += ["immigration_legal"] if self.foreign else []
            pool += ["interpreter"] if self.needs_interpreter else []
            pool += ["family_reunification"] if self.minor else []
            chosen = g.rng.sample(pool, g.rng.randint(1, 3))
        elif self.group == "seller" and g._chance(0.2):
            chosen = [g._pick(_ADULT_SERVICES)]
        else:
            return
        for service in chosen:
            response = g._weighted(_RESPONSES)
            by_provider = self.operation.services_present and g._chance(0.5)
            referred = not by_provider and response == "accepted" and g._chance(0.7)
            self._row(
                "service_offers",
                service_type=service,
                offered_on=_iso(g._after(self.day, 0, 3)),
                offered_by=_PROVIDER.name if by_provider else self.operation.lead.name,
                response=response,
                provider=_PROVIDER.name if by_provider or referred else "",
            )

    def _cooperation(self) -> None:
        g = self.g
        if not (self.ever_victim or self.role == "witness") or not g._chance(0.8):
            return
        status = g._weighted({"not_asked": 15, "declined": 30, "cooperating": 45, "withdrew": 10})
        first = g._after(self.day, 0, 10)
        if status == "withdrew":
            self._row("cooperation_records", status="cooperating", recorded_on=_iso(first))
            first = g._after(first, 7, 60)
        self._row("cooperation_records", status=status, recorded_on=_iso(first))

    def _follow_up(self) -> None:
        g = self.g
        if not self.ever_victim:
            return
        due = self.day + datetime.timedelta(days=_SIX_MONTHS)
        outcome = dict.fromkeys(
            ("still_receiving_services", "re_trafficking", "deported", "prosecuted"), "unknown"
        )
        done, reached, prosecuted_for = None, "", []
        if g._chance(0.55):
            done = g._after(due, -10, 20)
            reached = g._weighted({"yes": 65, "no": 35})
        if reached == "yes":
            outcome = {
                "still_receiving_services": g._weighted({"yes": 50, "no": 40, "unknown": 10}),
                "re_trafficking": g._weighted(
                    {"no": 60, "suspected": 20, "known": 10, "unknown": 10}
                ),
                "deported": ("yes" if g._chance(0.15) else "no") if self.foreign else "no",
                "prosecuted": "yes" if self.charged_statutes else "no",
            }
            prosecuted_for = self.charged_statutes
        self._row(
            "follow_ups",
            due_on=_iso(due),
            done_on=_iso(done),
            reached=reached,
            **outcome,
            prosecuted_for=";".join(dict.fromkeys(prosecuted_for)),
        )


class _Identified:
    """One person identified outside any operation, and what was recorded about them: their
    role, services and follow-up. Nobody here was arrested: an arrest before identification is
    another story (issue 21, item 3)."""

    def __init__(self, generator: _Generator, pathway: str, day: datetime.date | None = None):
        g = generator
        self.g = g
        self.pathway = pathway
        self.code = g._code("E")
        self.day = day or _FIRST_DAY + datetime.timedelta(
            days=g.rng.randint(0, (_LAST_DAY - _FIRST_DAY).days)
        )
        self.by = g.rng.choice(_POLICE) if pathway == "other_law_enforcement" else _PROVIDER
        self.sector = g._weighted(
            _LABOUR_SECTORS if pathway == "labour_inspection_or_advocate" else _SECTORS
        )
        self.minor = pathway == "school" or g._chance(0.08)
        self.foreign = self.sector != "commercial_sex" and g._chance(0.6)

    def _row(self, table: str, **values: str) -> None:
        self.g._row(table, encounter_code=self.code, **values)

    def record(self) -> None:
        g = self.g
        referrer = _REFERRER_OF.get(self.pathway)
        if self.sector == "commercial_sex":
            form = g._weighted({"sex": 85, "sex_and_labour": 15})
        elif self.sector == "massage_and_spa":
            form = g._weighted({"sex": 40, "labour": 40, "sex_and_labour": 20})
        else:
            form = g._weighted({"labour": 88, "sex_and_labour": 12})
        citizenship = (
            g._weighted(
                {"undocumented": 55, "other_lawful_status": 25, "lawful_permanent_resident": 20}
            )
            if self.foreign
            else g._weighted({"us_citizen": 80, "unknown": 20})
        )
        language = g._weighted(_FOREIGN_LANGUAGES) if self.foreign else "en"
        g._row(
            "encounters",
            encounter_code=self.code,
            identification_pathway=self.pathway,
            identified_by=self.by.name,
            referring_organisation=referrer.name if referrer and g._chance(0.8) else "",
            work_sector=self.sector,
            trafficking_form=form,
            data_origin="synthetic",
            encountered_on=_iso(self.day),
            age_group=g._weighted(_MINOR_AGES)
            if self.minor
            else g._weighted(
                {"18_24": 30, "25_34": 40, "35_and_over": 25, "adult_group_unknown": 5}
            ),
            age_determination=g._weighted(
                {"self_reported": 60, "document": 30, "not_recorded": 10}
            ),
            entered_as_minor="unknown",
            gender_identity=g._weighted(
                {"woman": 60, "man": 34, "transgender_woman": 3, "non_binary": 3}
            ),
            citizenship_status=citizenship,
            primary_language=language,
            interpreter="not_needed"
            if language == "en"
            else g._weighted({"provided": 75, "needed_not_provided": 15, "not_needed": 10}),
            race_ethnicity=g._weighted(_RACES) if g._chance(0.8) else "not_recorded",
        )
        role = "suspected_victim" if self.minor or g._chance(0.7) else "confirmed_victim"
        basis = (
            "minor_by_age"
            if self.minor
            else "self_identified"
            if self.pathway in {"self_referral", "another_survivor"}
            else "screening_indicators"
        )
        self._row(
            "role_assessments",
            role=role,
            basis=basis,
            stage="at_encounter",
            assessed_on=_iso(self.day),
        )
        if role == "suspected_victim" and g._chance(0.4):
            self._row(
                "role_assessments",
                role="confirmed_victim",
                basis="minor_by_age" if self.minor else "investigation",
                stage="later",
                assessed_on=_iso(g._after(self.day, 7, 60)),
            )
        self._row(
            "treatment_events",
            kind="screened",
            occurred_on=_iso(self.day),
            screener=g._weighted({"nonprofit_advocate": 70, "officer": 20, "other": 10}),
            screening_tool=g._weighted({"standard_instrument": 60, "agency_checklist": 40}),
            screening_result="indicators_present",
        )
        pool = ["basic_needs", "crisis_counselling", "legal_services", "medical_care"]
        pool += ["immigration_legal"] if self.foreign else []
        pool += (
            ["job_training", "emergency_shelter"] if not self.minor else ["family_reunification"]
        )
        for service in g.rng.sample(pool, g.rng.randint(1, 3)):
            self._row(
                "service_offers",
                service_type=service,
                offered_on=_iso(g._after(self.day, 0, 2)),
                offered_by=self.by.name,
                response=g._weighted({"accepted": 75, "declined": 10, "deferred": 15}),
                provider=_PROVIDER.name,
            )
        due = self.day + datetime.timedelta(days=_SIX_MONTHS)
        done = g._after(due, -10, 20) if g._chance(0.6) else None
        reached = g._weighted({"yes": 75, "no": 25}) if done else ""
        self._row(
            "follow_ups",
            due_on=_iso(due),
            done_on=_iso(done),
            reached=reached,
            still_receiving_services=g._weighted({"yes": 60, "no": 30, "unknown": 10})
            if reached == "yes"
            else "unknown",
            re_trafficking=g._weighted({"no": 75, "suspected": 15, "unknown": 10})
            if reached == "yes"
            else "unknown",
            deported=("yes" if g._chance(0.05) else "no") if reached == "yes" else "unknown",
            prosecuted="no" if reached == "yes" else "unknown",
        )


# How many people arrested as sellers are met again, at most: identified by the provider, and
# identified as victims in a later operation of the same linkage group.
_LATER_BY_PROVIDER = 10
_LATER_IN_OPERATIONS = 6
# Victims identified in an operation, never arrested there, who come back to the provider later:
# contacts repeat without any arrest before identification, as most identifications should.
_RETURNING_VICTIMS = 4
# The least time between an arrest and the day the provider meets the person again.
_SOME_TIME = datetime.timedelta(days=30)
# Ways a person once arrested comes to the provider on their own or through others.
_PATHWAYS_AFTER_ARREST = {
    "self_referral": 4,
    "another_survivor": 3,
    "hotline": 2,
    "community_or_faith_organisation": 2,
    "court_based": 2,
}
_DEMOGRAPHICS = (
    "age_group",
    "gender_identity",
    "race_ethnicity",
    "citizenship_status",
    "primary_language",
    "interpreter",
)


class _Linker:
    """Meet again some adults arrested or cited as sellers in operations led by an agency of the
    Harbor County linkage group, and link their records with a synthetic booking number: some
    come to the provider later and are identified as victims, some are identified as victims
    in a later operation of the group (a person of the same age group and gender identity met
    there); and some victims identified in the group's operations, never arrested, come back to
    the provider. Nothing is linked outside the group: Mesa Alta's people stay unlinked."""

    def __init__(self, generator: _Generator):
        self.g = generator
        rows = generator.rows
        linking = {agency.name for agency in (*_POLICE, _PROVIDER) if agency.linkage_group}
        leads = {
            row["operation_code"]
            for row in rows["operation_agencies"]
            if row["part"] == "lead" and row["agency"] in linking
        }
        roles: dict[str, tuple[str, str]] = {}
        for row in rows["role_assessments"]:
            held = roles.get(row["encounter_code"])
            if held is None or row["assessed_on"] >= held[0]:
                roles[row["encounter_code"]] = (row["assessed_on"], row["role"])
        self.punished = punished = {
            row["encounter_code"]
            for row in rows["treatment_events"]
            if row["kind"] in {"arrested", "cited"}
        }
        minors = set(vocabulary("age_group").codes_where("is_minor", True))
        people = sorted(
            (
                row
                for row in rows["encounters"]
                if row["operation_code"] in leads and row["age_group"] not in minors
            ),
            key=lambda row: (row["encountered_on"], row["encounter_code"]),
        )
        self.sellers = [
            row
            for row in people
            if roles[row["encounter_code"]][1] == "adult_in_commercial_sex"
            and row["encounter_code"] in punished
        ]
        self.victims = [row for row in people if roles[row["encounter_code"]][1] in _VICTIM_ROLES]
        self.numbers: set[str] = set()

    def link(self) -> None:
        sellers = list(self.sellers)
        for victim in self.victims:
            if len(self.numbers) >= _LATER_IN_OPERATIONS:
                break
            earlier = next(
                (
                    seller
                    for seller in sellers
                    if seller["encountered_on"] < victim["encountered_on"]
                    and seller["operation_code"] != victim["operation_code"]
                    and seller["age_group"] == victim["age_group"]
                    and seller["gender_identity"] == victim["gender_identity"]
                ),
                None,
            )
            if earlier is not None:
                sellers.remove(earlier)
                self._same_person(earlier, victim)
        # Early enough that the provider meets them within the generated period.
        early = [row for row in sellers if row["encountered_on"] <= _iso(_LAST_DAY - _SOME_TIME)]
        for seller in early[:: max(1, len(early) // _LATER_BY_PROVIDER)][:_LATER_BY_PROVIDER]:
            self._met_by_provider(seller)
        linked = {row["encounter_code"] for row in self.g.rows["encounters"] if row["person_link"]}
        returning = [
            victim
            for victim in self.victims
            if victim["encounter_code"] not in linked | self.punished
            and victim["encountered_on"] <= _iso(_LAST_DAY - _SOME_TIME)
        ]
        for victim in returning[:_RETURNING_VICTIMS]:
            self._met_by_provider(victim)

    def _booking_number(self) -> str:
        while True:
            number = f"SYN-BK-{self.g.rng.randint(2021, 2024)}-{self.g.rng.randint(0, 99999):05d}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def _same_person(self, *rows: dict[str, str]) -> None:
        link = linkage.link_in_group(self._booking_number(), _HARBOR_LINKAGE)
        for row in rows:
            row["person_link"] = link

    def _met_by_provider(self, earlier: dict[str, str]) -> None:
        """The person of an operation's record ``earlier`` comes to the provider later."""
        g = self.g
        met_on = datetime.date.fromisoformat(earlier["encountered_on"])
        day = min(_LAST_DAY, g._after(met_on, 30, 540))
        person = _Identified(g, g._weighted(_PATHWAYS_AFTER_ARREST), day=day)
        person.by, person.sector, person.minor = _PROVIDER, "commercial_sex", False
        person.foreign = earlier["citizenship_status"] not in {"us_citizen", "unknown"}
        person.record()
        identified = next(
            row for row in g.rows["encounters"] if row["encounter_code"] == person.code
        )
        identified.update({name: earlier[name] for name in _DEMOGRAPHICS})
        self._same_person(earlier, identified)
