"""What every plan importer produces: a ParsedPlan, before anything touches the database.

The layout readers (annex tables, prose, Duban's ledger) turn a Document into a ParsedPlan;
`duban.plans.services.save_parsed_plan` writes one into the database in a single
transaction. Keeping the two apart is what makes --dry-run honest and lets
every reader share the unit/leader resolution and the re-import rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from .document import Position


class PlanImportError(Exception):
    """The file cannot be imported at all (wrong format, no table, unreadable)."""


@dataclass
class ImportNote:
    source: str  # file name
    line: int | None  # line (text) or row (sheet) number, 1-based
    message: str
    at: Position | None = None  # where in the file, when known

    def __str__(self) -> str:
        if self.at is not None and (self.at.page or self.at.sheet or self.at.paragraph or self.at.table):
            return f"{self.at}: {self.message}"  # 方案.pdf 第3页第12行: …
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, str | int | None]:
        return {"source": self.source, "line": self.line, "message": self.message,
                "at": self.at.label() if self.at else None}


@dataclass
class SourceRow:
    """One row of a table as read from the file, cells in printed order."""

    cells: list[str]
    line: int


@dataclass
class SourceTable:
    """A task-list table: one annex (text), one sheet (.xlsx) or one table (.docx)."""

    source: str  # file name, for warnings
    annex: int | None  # 附件N, if known
    title: str
    header: list[str]
    rows: list[SourceRow]
    header_line: int | None = None
    merges_known: bool = False  # a blank cell is blank (document.Table.merges_known), not under a merge


@dataclass
class ParsedMilestone:
    date: datetime.date
    text: str


@dataclass
class ParsedMeasure:
    text: str
    number: int | None = None
    number_inferred: bool = False
    annex: int | None = None
    lead_units: list[str] = field(default_factory=list)  # printed names, in order
    cooperating_units: list[str] = field(default_factory=list)
    scope_text: str = ""  # collective phrases (各街道, 区直各有关单位)
    deadline: datetime.date | None = None
    deadline_text: str = ""
    deadline_year_only: bool = False
    ongoing: bool = False  # 长期坚持, 持续推进: continuing work, no deadline
    recurring: str | None = None  # 每月 → "monthly", 每季度 → "quarterly": work that comes back each period
    milestones: list[ParsedMilestone] = field(default_factory=list)
    notes: dict = field(default_factory=dict)  # extra columns, inherited cells …
    source: str = ""
    line: int | None = None
    at: Position | None = None  # where in the file it was printed (page, line, sheet row)


@dataclass
class ParsedTask:
    text: str
    number: int | None = None
    number_inferred: bool = False
    measures: list[ParsedMeasure] = field(default_factory=list)
    source: str = ""
    line: int | None = None
    at: Position | None = None


@dataclass
class ParsedCampaign:
    name: str
    lead_units: list[str] = field(default_factory=list)


@dataclass
class ParsedArea:
    kind: str  # Area.Kind value
    name: str
    number: int | None = None
    chief: str = ""  # leader's name as printed
    responsible_unit: str = ""
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    scope_text: str = ""
    benchmarks: str = ""
    target_text: str = ""
    pilots: str = ""
    narrative: str = ""
    attribution_text: str = ""
    campaigns: list[ParsedCampaign] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)  # measures not under a task
    source: str = ""
    line: int | None = None
    other_names: list[str] = field(default_factory=list)  # spellings seen in annexes
    at: Position | None = None

    def all_measures(self) -> Iterator[ParsedMeasure]:
        yield from self.measures
        for task in self.tasks:
            yield from task.measures


@dataclass
class ParsedPlan:
    title: str = ""
    year: int | None = None
    document_number: str = ""
    issuing_bodies: str = ""
    issue_date: datetime.date | None = None
    source_name: str = ""
    missing_annexes: list[str] = field(default_factory=list)
    areas: list[ParsedArea] = field(default_factory=list)
    warnings: list[ImportNote] = field(default_factory=list)
    # "first" when the plan says the first unit of a list leads (注：责任单位中排在第一位的为牵头单位)
    unit_rule: str = ""
    # (source, line) → Position: what the layouts' numbers stand for in the file, filled by the reader
    positions: dict[tuple[str, int | None], Position] = field(default_factory=dict, repr=False, compare=False)

    def warn(self, source: str, line: int | None, message: str) -> None:
        self.warnings.append(ImportNote(source, line, message, self.positions.get((source, line))))

    def locate(self) -> None:
        """Give every area, task and measure the Position its (source, line) stands for."""
        for area in self.areas:
            items: list[ParsedArea | ParsedTask | ParsedMeasure] = [area, *area.tasks, *area.all_measures()]
            for item in items:
                if item.at is None:
                    item.at = self.positions.get((item.source, item.line))

    def all_tasks(self) -> Iterator[ParsedTask]:
        for area in self.areas:
            yield from area.tasks

    def all_measures(self) -> Iterator[ParsedMeasure]:
        for area in self.areas:
            yield from area.all_measures()

    def unit_names(self) -> list[str]:
        names: list[str] = []
        for area in self.areas:
            names += [area.responsible_unit] if area.responsible_unit else []
            names += area.lead_units + area.cooperating_units
            for campaign in area.campaigns:
                names += campaign.lead_units
            for measure in area.all_measures():
                names += measure.lead_units + measure.cooperating_units
        return names
