"""Load the real published figures of the 2021 USC report as operations of the standard.

Tables 2, 3 and 4 are yearly counts of the Operation Reclaim and Rebuild tracking sheets: each
table column-year becomes an operation with data origin ``published_aggregate`` and one
``AggregateFigure`` per printed row, the printed label and cell kept verbatim (a blank cell is
not 0; "N/A" is kept). Table 9 lists the five victims of Operation Cross Country XI in Los Angeles
one by one; they become five pseudonymous encounters, so that the two juvenile victims who were
arrested raise non-punishment alerts through the services like any other record.

Loading is idempotent: an operation already present (same name and data origin) is left as it is.
Footnote markers printed after a label or a value are removed and reported, never silently.
"""

import csv
import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from . import services
from .models import Agency, Operation

ENVIRONMENT_VARIABLE = "BEYONDRAID_PUBLISHED_DIR"
# The transcribed tables travel inside the package, with their README of conventions and
# oddities, the manifest that audits them and the mapping of Table 9, so every installation has
# the real figures.
PACKAGED_DIR = Path(__file__).resolve().parent / "data" / "published"
REPORT = "USC Gould IHRC, Over-Policing Sex Trafficking (2021)"
DATA_ORIGIN = "published_aggregate"

_MEASURES = {
    "Total Arrests": "arrests_total",
    "Commercial Sex Worker": "arrests_selling_sex",
    "John": "arrests_buying_sex",
    "Pimp/Pandering/Supervising": "arrests_pimping_pandering_supervising",
    "Other": "arrests_other",
    "Total Rescues": "identified_victims_total",
    "Juvenile": "identified_victims_minor",
    "Adult": "identified_victims_adult",
}
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARKER = re.compile(rf"^(?P<text>.*?)\s*(?P<marker>[{_SUPERSCRIPTS}*†‡]+)$")
_PLAIN_MARKER = re.compile(r"^(?P<text>.*?\D)\s*(?P<marker>[0-9]+)$")
_YEAR = re.compile(rf"^(?P<year>(19|20)[0-9]{{2}})\s*(?P<marker>[0-9{_SUPERSCRIPTS}*†‡]*)$")
_ORR_MISSION = (
    "LAPD operational plans state that the mission of ORR is “to identify and rescue "
    "commercially sexually exploited victims of human trafficking” (line 1101)."
)

DOJ = "California Department of Justice (Attorney General)"
LAPD = "Los Angeles Police Department"
LASD = "Los Angeles County Sheriff's Department"
LARHTTF = "Los Angeles Regional Human Trafficking Task Force"
LA_ILTF = "Los Angeles Innocence Lost Task Force"

_AGENCIES = {
    DOJ: {"kind": "state_law_enforcement", "state": "CA"},
    LAPD: {"kind": "local_police", "state": "CA", "county": "Los Angeles", "city": "Los Angeles"},
    LASD: {"kind": "sheriff", "state": "CA", "county": "Los Angeles"},
    LARHTTF: {
        "kind": "task_force",
        "state": "CA",
        "county": "Los Angeles",
        "members": (LAPD, LASD),
    },
    LA_ILTF: {"kind": "task_force", "state": "CA", "county": "Los Angeles", "members": (LAPD,)},
}


@dataclass(frozen=True)
class _AggregateTable:
    number: str
    file: str
    lines: str
    name: str  # formatted with the year
    lead: str
    participants: tuple[str, ...]
    lead_note: str

    @property
    def citation(self) -> str:
        return f"{REPORT}, Table {self.number}, lines {self.lines}"


_AGGREGATE_TABLES = (
    _AggregateTable(
        "2",
        "table02_ca_statewide_arrests_by_individual_type.csv",
        "1152–1162",
        "Operation Reclaim and Rebuild {year} — California statewide (published aggregate)",
        DOJ,
        (LARHTTF, LAPD, LASD),
        "Statewide figures include Los Angeles County (line 1126); the Attorney General, who "
        "released them, is recorded as lead, and the Los Angeles agencies as participants.",
    ),
    _AggregateTable(
        "3",
        "table03_la_county_arrests_by_individual_type.csv",
        "1164–1174",
        "Los Angeles County operations {year} (published aggregate)",
        LASD,
        (LAPD, LARHTTF),
        "Which agency led is not published; the county sheriff is recorded as lead for "
        "county-wide figures, which include LAPD and LASD (line 1126).",
    ),
    _AggregateTable(
        "4",
        "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv",
        "1176–1185",
        "LAPD + LASD LARHTTF operations {year} (published aggregate)",
        LARHTTF,
        (LAPD, LASD),
        "The task force of LAPD and LASD is recorded as lead, both agencies as participants.",
    ),
)

OCC_FILE = "table09_occ_2017_victims.csv"
OCC_NAME = "Operation Cross Country XI — Los Angeles (published record)"
OCC_START, OCC_END = datetime.date(2017, 10, 12), datetime.date(2017, 10, 14)
_OCC_COLUMNS = (
    "VICTIM",
    "GENDER",
    "JUVENILE SUBJECT",
    "ADULT",
    "ARRESTED",
    "VICTIM SERVICES",
    "CITATION OR CHARGE",
)
_OCC_GENDERS = {"F": "woman", "M": "man"}
# The report: "'N/A' means that the victim was not in a position to be cited or charged. We were
# unable to verify the meaning of '?'." (fn 170). None of these is a charge.
_OCC_NOT_CHARGES = {"N/A", "?", "", "N"}
_OCC_OBJECTIVE = (
    "“The objective of these operations is to identify and rescue juvenile victims who are being "
    "exploited through prostitution, as well as to identify and arrest those responsible for this "
    f"exploitation.” (operations plan, quoted in {REPORT}, line 1255). Coordinated by the Los "
    "Angeles Innocence Lost Task Force in corridors of LAPD's jurisdiction; one officer described "
    "decoys posing as buyers and as sellers and surveillance arrests (line 1285), so the type is "
    "recorded as other. The five victims are those of Table 9 (lines 1297–1304, LAPD tracking "
    "sheet); the day each was encountered is not published, so each is dated to the first day. "
    "The 96 arrests of Table 8 are not loaded here."
)


class PublishedError(ValueError):
    """The published figures cannot be found or read; the message names the file and the fix."""


@dataclass
class PublishedReport:
    directory: Path
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    figures: int = 0
    encounters: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Published figures from {self.directory}: {len(self.created)} operations loaded "
            f"({self.figures} figures, {self.encounters} encounters); "
            f"{len(self.skipped)} already present and left as they were."
        )


def find_published_dir(directory: Path | None = None) -> Path:
    """The folder of published CSV files: the one given, else $BEYONDRAID_PUBLISHED_DIR, else the
    copy inside the package."""
    if directory is not None:
        how = "given with --dir"
    elif os.environ.get(ENVIRONMENT_VARIABLE):
        directory, how = Path(os.environ[ENVIRONMENT_VARIABLE]), f"from {ENVIRONMENT_VARIABLE}"
    else:
        directory, how = PACKAGED_DIR, "the copy inside the package"
    directory = Path(directory).resolve()
    if not (directory / OCC_FILE).is_file():
        raise PublishedError(
            f"No published figures in {directory} ({how}); point at the folder holding "
            f"{OCC_FILE} and the other tables with --dir PATH or {ENVIRONMENT_VARIABLE}=PATH."
        )
    return directory


@transaction.atomic
def load_published(directory: Path | None = None) -> PublishedReport:
    directory = find_published_dir(directory)
    loader = _Loader(PublishedReport(directory))
    for table in _AGGREGATE_TABLES:
        loader.aggregate_table(table)
    loader.occ_victims()
    return loader.report


def _strip_marker(text: str) -> tuple[str, str]:
    match = _MARKER.match(text)
    return (match["text"], match["marker"]) if match else (text, "")


def _label_and_marker(text: str) -> tuple[str, str]:
    """A row label without its footnote marker; plain digits count as one only after a known
    label, since no label of these tables ends in a digit."""
    label, marker = _strip_marker(text)
    plain = _PLAIN_MARKER.match(label)
    if label not in _MEASURES and plain and plain["text"] in _MEASURES:
        return plain["text"], plain["marker"]
    return label, marker


class _Loader:
    def __init__(self, report: PublishedReport):
        self.report = report
        self.agencies: dict[str, Agency] = {}

    def _read(self, file: str) -> list[list[str]]:
        path = self.report.directory / file
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = [[cell.strip() for cell in row] for row in csv.reader(handle)]
        except FileNotFoundError:
            raise PublishedError(f"{path} is missing; restore it from the fixtures.") from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise PublishedError(f"{path} cannot be read as UTF-8 CSV ({error}).") from None
        if not rows:
            raise PublishedError(f"{path} is empty.")
        return rows

    def _note_marker(self, file: str, row: int, printed: str, marker: str) -> None:
        if marker:
            self.report.notes.append(
                f"{file} row {row}: footnote marker {marker!r} removed from {printed!r}."
            )

    def _agency(self, name: str) -> Agency:
        if name not in self.agencies:
            existing = Agency.objects.filter(name=name).first()
            if existing is None:
                attributes = dict(_AGENCIES[name])
                members = [self._agency(member) for member in attributes.pop("members", ())]
                existing = services.record_agency(
                    name=name,
                    member_agencies=members,
                    source="import",
                    source_reference=f"{REPORT} (published figures)",
                    **attributes,
                )
            self.agencies[name] = existing
        return self.agencies[name]

    def _already_loaded(self, name: str) -> bool:
        if Operation.objects.filter(name=name, data_origin=DATA_ORIGIN).exists():
            self.report.skipped.append(name)
            return True
        return False

    def aggregate_table(self, table: _AggregateTable) -> None:
        rows = self._read(table.file)
        years = self._years(table.file, rows[0])
        figures = []
        seen: dict[str, int] = {}
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cells):
                continue
            printed_label, marker = _label_and_marker(cells[0])
            self._note_marker(table.file, number, cells[0], marker)
            measure = _MEASURES.get(printed_label)
            if measure is None:
                raise PublishedError(
                    f"{table.file} row {number}: the row label {cells[0]!r} is not one this "
                    f"loader maps to a measure ({', '.join(_MEASURES)}); add it to the mapping "
                    "in beyondraid/standard/published.py or correct the file."
                )
            if measure in seen:
                raise PublishedError(
                    f"{table.file} row {number}: {printed_label!r} repeats row {seen[measure]}."
                )
            seen[measure] = number
            values = [*cells[1:], *[""] * (len(years) - len(cells) + 1)]
            figures.append((number, printed_label, measure, values))
        for position, year in enumerate(years):
            name = table.name.format(year=year)
            if self._already_loaded(name):
                continue
            operation = services.record_operation(
                name=name,
                initiative="operation_reclaim_and_rebuild",
                operation_type="other",
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year, 12, 31),
                stated_objective=(
                    f"Figures for {year} as printed in {table.citation}, from LAPD records "
                    "released under the California Public Records Act. The dates of the "
                    "operations are not published, so the whole year is recorded. "
                    f"{_ORR_MISSION} {table.lead_note}"
                ),
                trigger="scheduled_initiative",
                lead_agency=self._agency(table.lead),
                participants=[(self._agency(name), "participant") for name in table.participants],
                data_origin=DATA_ORIGIN,
                source="import",
                source_reference=f"{table.citation} ({table.file}), column {year}",
            )
            for number, printed_label, measure, values in figures:
                printed_value, marker = _strip_marker(values[position])
                self._note_marker(table.file, number, values[position], marker)
                services.record_aggregate_figure(
                    operation=operation,
                    measure=measure,
                    printed_label=printed_label,
                    printed_value=printed_value,
                    citation=table.citation,
                    source="import",
                    source_reference=f"{table.file} row {number}, column {year}",
                )
                self.report.figures += 1
            self.report.created.append(name)

    def _years(self, file: str, header: list[str]) -> list[int]:
        years = []
        for position, cell in enumerate(header[1:], start=2):
            match = _YEAR.match(cell)
            if match is None:
                raise PublishedError(
                    f"{file} row 1, column {position}: {cell!r} is not a year; the header names "
                    "the years after an empty first cell."
                )
            self._note_marker(file, 1, cell, match["marker"])
            years.append(int(match["year"]))
        return years

    def occ_victims(self) -> None:
        rows = self._read(OCC_FILE)
        header = [_strip_marker(cell)[0] for cell in rows[0]]
        if tuple(header) != _OCC_COLUMNS:
            raise PublishedError(
                f"{OCC_FILE} row 1: the columns must be {', '.join(_OCC_COLUMNS)}; "
                f"found {', '.join(rows[0])}."
            )
        for cell in rows[0]:
            self._note_marker(OCC_FILE, 1, cell, _strip_marker(cell)[1])
        victims = []
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cells):
                continue
            if any(cells[len(_OCC_COLUMNS) :]):
                raise PublishedError(
                    f"{OCC_FILE} row {number}: more cells than the {len(_OCC_COLUMNS)} columns."
                )
            padded = [*cells, *[""] * len(_OCC_COLUMNS)][: len(_OCC_COLUMNS)]
            victim = dict(zip(_OCC_COLUMNS, padded, strict=True))
            self._check_victim(number, victim)
            victims.append((number, victim))
        if self._already_loaded(OCC_NAME):
            return
        lapd = self._agency(LAPD)
        operation = services.record_operation(
            name=OCC_NAME,
            initiative="operation_cross_country",
            operation_type="other",
            start_date=OCC_START,
            end_date=OCC_END,
            stated_objective=_OCC_OBJECTIVE,
            trigger="scheduled_initiative",
            lead_agency=self._agency(LA_ILTF),
            participants=[(lapd, "participant")],
            places=[
                {
                    "state": "CA",
                    "county": "Los Angeles",
                    "city": "Los Angeles",
                    "venue_type": "street",
                }
            ],
            data_origin=DATA_ORIGIN,
            source="import",
            source_reference=f"{REPORT}, Table 9, lines 1297–1304 ({OCC_FILE})",
        )
        for number, victim in victims:
            self._occ_encounter(operation, lapd, number, victim)
        self.report.created.append(OCC_NAME)

    def _check_victim(self, number: int, victim: dict[str, str]) -> None:
        def refuse(column: str, fix: str) -> None:
            raise PublishedError(
                f"{OCC_FILE} row {number}, column {column}: {victim[column]!r} {fix}"
            )

        if victim["GENDER"] not in _OCC_GENDERS:
            refuse("GENDER", f"is not one of {', '.join(_OCC_GENDERS)}.")
        for column in ("JUVENILE SUBJECT", "ADULT", "ARRESTED", "VICTIM SERVICES"):
            if victim[column] not in {"Y", "N"}:
                refuse(column, "is not Y or N.")
        if victim["JUVENILE SUBJECT"] == victim["ADULT"]:
            refuse("ADULT", "contradicts JUVENILE SUBJECT; exactly one of them is Y.")
        if _strip_marker(victim["CITATION OR CHARGE"])[0] not in _OCC_NOT_CHARGES:
            refuse(
                "CITATION OR CHARGE",
                "is a charge this loader cannot map to a statute; only N/A, ?, N and blank "
                "are known.",
            )

    def _occ_encounter(self, operation, lapd: Agency, number: int, victim: dict[str, str]) -> None:
        printed_charge, marker = _strip_marker(victim["CITATION OR CHARGE"])
        self._note_marker(OCC_FILE, number, victim["CITATION OR CHARGE"], marker)
        charge_note = f"printed {printed_charge!r}" if printed_charge else "printed blank"
        reference = f"Table 9 victim {victim['VICTIM']}"
        juvenile = victim["JUVENILE SUBJECT"] == "Y"
        encounter = services.record_encounter(
            operation=operation,
            encountered_on=OCC_START,
            role="confirmed_victim" if juvenile else "suspected_victim",
            role_basis="minor_by_age" if juvenile else "agency_record",
            age_group="minor_group_unknown" if juvenile else "adult_group_unknown",
            gender_identity=_OCC_GENDERS[victim["GENDER"]],
            source="import",
            source_reference=f"{reference}; CITATION OR CHARGE {charge_note}",
        )
        if victim["ARRESTED"] == "Y":
            services.record_treatment_event(
                encounter=encounter,
                kind="arrested",
                occurred_on=OCC_START,
                arrest_basis="not_recorded",
                source="import",
                source_reference=f"{reference}; ARRESTED printed 'Y'",
            )
        if victim["VICTIM SERVICES"] == "Y":
            services.offer_service(
                encounter=encounter,
                service_type="unspecified",
                offered_on=OCC_START,
                offered_by=lapd,
                response="accepted",
                source="import",
                source_reference=f"{reference}; VICTIM SERVICES printed 'Y'",
            )
        self.report.encounters += 1
