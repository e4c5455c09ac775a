"""Importing reviews from a government-service platform's export (.xlsx or CSV).

One function, `check_file`, reads and validates every row without touching
the database's reviews; `import_file` does the same and, only if no row has a
problem, saves them all in one transaction (all or nothing) and opens the
rectifications of the bad ones. The web upload, `duban import-reviews` and the
tests all go through these two.

Columns are found by their header (Chinese or English, see COLUMNS); order
does not matter and unknown columns are ignored. Every problem names the row
as numbered in the spreadsheet (the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.archives import check_archive
from duban.plans.units import UnitResolver

from . import reviews
from .forms import normalize_mobile
from .models import Review, ReviewImport, mobile_validator

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# field: (required, header spellings)
COLUMNS = {
    "external_ref": (False, ["评价编号", "评价ID", "编号", "review id", "id"]),
    "reviewed_at": (True, ["评价时间", "时间", "reviewed at", "time"]),
    "unit": (True, ["评价部门", "办理部门", "部门", "单位", "被评价部门", "unit", "department"]),
    "window": (False, ["服务窗口", "窗口", "window"]),
    "matter": (True, ["事项名称", "办理事项", "事项", "matter"]),
    "level": (True, ["评价等级", "评价结果", "满意度", "评价", "rating", "level"]),
    "comment": (False, ["评价内容", "评价意见", "意见", "comment"]),
    "reviewer_name": (False, ["评价人", "姓名", "reviewer"]),
    "reviewer_mobile": (False, ["联系电话", "手机号码", "手机号", "电话", "mobile"]),
    "channel": (False, ["评价渠道", "渠道", "channel"]),
}
LEVELS = {
    "非常满意": 5, "满意": 4, "基本满意": 3, "不满意": 2, "非常不满意": 1,
    "5": 5, "4": 4, "3": 3, "2": 2, "1": 1,
}
CHANNELS = {
    "窗口": Review.Channel.WINDOW, "现场": Review.Channel.WINDOW, "评价器": Review.Channel.WINDOW,
    "网上": Review.Channel.ONLINE, "网站": Review.Channel.ONLINE, "pc端": Review.Channel.ONLINE, "网厅": Review.Channel.ONLINE,
    "移动端": Review.Channel.MOBILE, "app": Review.Channel.MOBILE, "小程序": Review.Channel.MOBILE,
    "短信": Review.Channel.SMS, "电话": Review.Channel.PHONE, "其他": Review.Channel.OTHER,
    **{value: value for value in Review.Channel.values},
}
TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y-%m-%d", "%Y/%m/%d"]


class ReviewImportError(Exception):
    """The file cannot be read at all."""


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Checked:
    rows: list = field(default_factory=list)  # dicts of Review fields
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    @property
    def bad_count(self):
        return sum(1 for r in self.rows if r["level"] in Review.BAD_LEVELS)


def _cell(value):
    """A cell as text; full-width letters and digits (ＡＢ１２) folded as NFKC does."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_rows(content, name):
    """[(row number, [cells])] of the file's first sheet (xlsx) or of the CSV; the header is row 1."""
    if len(content) > MAX_BYTES:
        raise ReviewImportError(_("%(name)s is larger than 5 MB; split it into several files.") % {"name": name})
    if content.startswith(b"PK\x03\x04"):
        check_archive(content, name=name, error=ReviewImportError)  # before openpyxl unpacks anything
        return _read_xlsx(content, name)
    if b"\x00" in content[:4096]:
        raise ReviewImportError(
            _("%(name)s is neither an .xlsx workbook nor a CSV text file (an old .xls? Save it as .xlsx).") % {"name": name})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReviewImportError(_("%(name)s: the text is neither UTF-8 nor GB18030.") % {"name": name})
    return [(i, row) for i, row in enumerate(csv.reader(io.StringIO(text)), start=1)]


def _read_xlsx(content, name):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReviewImportError(_("%(name)s is not a readable .xlsx workbook.") % {"name": name}) from exc
    try:
        sheet = workbook.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _header_map(header):
    """{field: column index} from the header row, and the problems with it."""
    folded = [_cell(h).lower().replace(" ", "") for h in header]
    found, problems = {}, []
    for name, (required, spellings) in COLUMNS.items():
        for spelling in spellings:
            key = spelling.lower().replace(" ", "")
            if key in folded:
                found[name] = folded.index(key)
                break
        else:
            if required:
                problems.append(Problem(1, spellings[0], _("this column is missing (the header row must name it).")))
    return found, problems


def _parse_time(value):
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(12, 0))
    else:
        text = _cell(value)
        for fmt in TIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def check_rows(rows, source="", *, region_id):
    """Validate every row against `region_id`'s units and reviews; a Checked with the review fields and every
    problem found."""
    result = Checked()
    rows = [(n, cells) for n, cells in rows if any(_cell(c) for c in cells)]
    if not rows:
        result.problems.append(Problem(None, "", _("The file is empty.")))
        return result
    header_row, header = rows[0]
    columns, problems = _header_map(header)
    if problems:
        result.problems.extend(problems)
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.problems.append(Problem(None, "", _("More than %(max)d rows; split the file.") % {"max": MAX_ROWS}))
        return result
    labels = {name: _cell(header[index]) for name, index in columns.items()}
    units = UnitResolver(region_id)
    seen_refs = {}
    refs = [_cell(cells[columns["external_ref"]]) for _, cells in rows[1:]
            if "external_ref" in columns and columns["external_ref"] < len(cells)]
    existing = dict(Review.objects.with_references(refs, region_id).values_list("external_ref", "pk"))
    now = clock.now()
    for number, cells in rows[1:]:
        def get(name):
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        def problem(name, message):
            result.problems.append(Problem(number, labels[name], message))

        row = {}
        ref = _cell(get("external_ref"))
        if ref:
            if ref in existing:
                problem("external_ref", _("review %(ref)s has already been imported.") % {"ref": ref})
            elif ref in seen_refs:
                problem("external_ref", _("review %(ref)s appears twice (also in row %(row)d).")
                        % {"ref": ref, "row": seen_refs[ref]})
            seen_refs.setdefault(ref, number)
        row["external_ref"] = ref[:64]
        moment = _parse_time(get("reviewed_at"))
        if moment is None:
            problem("reviewed_at", _("“%(value)s” is not a date and time such as 2026-03-02 10:15.")
                    % {"value": _cell(get("reviewed_at"))})
        elif moment > now:
            problem("reviewed_at", _("%(value)s is in the future.") % {"value": _cell(get("reviewed_at"))})
        row["reviewed_at"] = moment
        unit_name = _cell(get("unit"))
        unit = units.find(unit_name) if unit_name else None
        if unit is None:
            problem("unit", _("“%(value)s” is not a unit in the directory (add it, or an alias, first).")
                    % {"value": unit_name} if unit_name else _("the unit is missing."))
        row["unit"] = unit
        level = LEVELS.get(_cell(get("level")))
        if level is None:
            problem("level", _("“%(value)s” is not one of 非常满意, 满意, 基本满意, 不满意, 非常不满意 (or 5 to 1).")
                    % {"value": _cell(get("level"))})
        row["level"] = level
        row["matter"] = _cell(get("matter"))[:200]
        if not row["matter"]:
            problem("matter", _("the matter is missing."))
        row["window"] = _cell(get("window"))[:100]
        row["comment"] = _cell(get("comment"))[:2000]
        row["reviewer_name"] = _cell(get("reviewer_name"))[:50]
        mobile = normalize_mobile(_cell(get("reviewer_mobile")))
        if mobile:
            try:
                mobile_validator(mobile)
            except Exception:  # noqa: BLE001 — a ValidationError; reported as a problem of the cell
                problem("reviewer_mobile", _("“%(value)s” is not an 11-digit mobile number.")
                        % {"value": _cell(get("reviewer_mobile"))})
        row["reviewer_mobile"] = mobile
        channel_text = _cell(get("channel")).lower()
        row["channel"] = CHANNELS.get(channel_text, Review.Channel.OTHER if channel_text else Review.Channel.WINDOW)
        result.rows.append(row)
    return result


def check_file(content, name, *, region_id):
    return check_rows(read_rows(content, name), name, region_id=region_id)


def import_file(content, name, user, *, dry_run=False):
    """Check the file, record the attempt, and unless dry_run save every row (all or nothing).

    Returns the ReviewImport. A file already imported into the user's region (same content) is refused.
    The user's region is the import's: its units, its reviews, its batches.
    """
    digest = ReviewImport.digest(content)
    earlier = ReviewImport.objects.in_region(user.region_id).filter(
        sha256=digest, state=ReviewImport.State.IMPORTED).first()
    try:
        checked = check_file(content, name, region_id=user.region_id)
    except ReviewImportError as exc:
        checked = Checked(problems=[Problem(None, "", str(exc))])
    if earlier is not None:
        checked.problems.insert(0, Problem(None, "", _("This file was already imported on %(date)s (import #%(pk)d).")
                                           % {"date": timezone.localtime(earlier.imported_at).strftime("%Y-%m-%d %H:%M"),
                                              "pk": earlier.pk}))
    # A refused file is not kept: it may hold reviewers' numbers and is of no further use.
    batch = ReviewImport(
        file_name=name[:200], sha256=digest, content=content if checked.ok else b"", uploaded_by=user, row_count=len(checked.rows),
        bad_count=checked.bad_count, errors=[p.as_dict() | {"text": str(p)} for p in checked.problems[:500]],
        state=ReviewImport.State.CHECKED if checked.ok else ReviewImport.State.REFUSED,
    )
    batch.save()
    if checked.ok and not dry_run:
        save_rows(batch, checked.rows, user)
    return batch


@transaction.atomic
def save_rows(batch, rows, user):
    for row in rows:
        reviews.record(entered_by=user, batch=batch, **row)
    batch.state = ReviewImport.State.IMPORTED
    batch.imported_at = clock.now()
    batch.save(update_fields=["state", "imported_at"])


def confirm(batch, user):
    """Import a file that a dry run checked: checked again, since the data may have changed meanwhile."""
    if batch.state != ReviewImport.State.CHECKED:
        raise ReviewImportError(_("Only a checked file that has not been imported can be imported."))
    checked = check_file(bytes(batch.content), batch.file_name, region_id=batch.uploaded_by.region_id)
    if not checked.ok:
        batch.state, batch.content = ReviewImport.State.REFUSED, b""
        batch.errors = [p.as_dict() | {"text": str(p)} for p in checked.problems[:500]]
        batch.save(update_fields=["state", "errors", "content"])
        return batch
    save_rows(batch, checked.rows, user)
    return batch
