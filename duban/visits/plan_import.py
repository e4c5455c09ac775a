"""The visit plan from Excel (.xlsx): which cadre visits which company, by when.

One sheet, a header row with these columns (in any order; 统一社会信用代码, 所属街道, 企业类型
and 走访时限 may be left out):

    干部账号 | 企业名称 | 统一社会信用代码 | 所属街道 | 企业类型 | 走访时限

Every row is checked before anything is written; any error refuses the whole file, with a message
naming the row and the column. The file is bounded (MAX_BYTES, MAX_ROWS). A company is found by
name in the region or created; a company already assigned this year to another cadre is moved to
the new one (the file is the plan), and that is reported.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from duban.accounts.models import Role, User
from duban.hotline.credit_code import validate_credit_code
from duban.plans.models import Unit

from .models import Company, VisitAssignment

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = {"cadre": "干部账号", "company": "企业名称", "credit_code": "统一社会信用代码", "street": "所属街道",
           "company_type": "企业类型", "visit_by": "走访时限"}
REQUIRED = ("cadre", "company")


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Result:
    created: int = 0
    moved: int = 0
    unchanged: int = 0
    companies_created: int = 0
    notes: list = field(default_factory=list)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, row, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(_("Row %(row)d, column %(column)s: “%(value)s” is not a date (write it as 2023-06-30).")
                  % {"row": row, "column": COLUMNS["visit_by"], "value": text})
    return None


def read_rows(content):
    """[(row number, {key: value})] from the first sheet; ImportRefused if the file is not a readable .xlsx."""
    import openpyxl

    if len(content) > MAX_BYTES:
        raise ImportRefused([_("The file is larger than %(mb)d MB: split the plan into several files.")
                             % {"mb": MAX_BYTES // (1024 * 1024)}])
    if not content.startswith(b"PK\x03\x04"):
        raise ImportRefused([_("This is not an Excel (.xlsx) file: save it as .xlsx and upload it again.")])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportRefused([_("The Excel file cannot be read: open it in Excel or WPS, save it as .xlsx and "
                               "upload it again.")]) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportRefused([_("The sheet is empty.")])
    names = [_text(h) for h in header]
    positions = {}
    for key, title in COLUMNS.items():
        if title in names:
            positions[key] = names.index(title)
    missing = [COLUMNS[k] for k in REQUIRED if k not in positions]
    if missing:
        raise ImportRefused([_("Row 1: the header has no column %(columns)s.") % {"columns": "、".join(missing)}])
    result = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportRefused([_("The file has more than %(n)d rows: split it into several files.")
                                 % {"n": MAX_ROWS}])
        if not any(_text(v) for v in values or ()):
            continue
        values = list(values) + [None] * len(names)
        result.append((number, {key: values[pos] for key, pos in positions.items()}))
    workbook.close()
    return result


def import_plan(content, year, region_id, dry_run=False):
    """Check every row, then (unless dry_run) write the assignments in one transaction. ImportRefused on errors."""
    rows = read_rows(content)
    if not rows:
        raise ImportRefused([_("The sheet has a header but no rows.")])
    cadres = {u.username: u for u in User.objects.filter(region=region_id, is_active=True)}
    streets = {u.name: u for u in Unit.objects.filter(region=region_id, kind=Unit.Kind.STREET)}
    errors, checked, seen = [], [], {}
    for number, row in rows:
        username, name = _text(row.get("cadre")), _text(row.get("company"))
        credit_code, street_name = _text(row.get("credit_code")).upper(), _text(row.get("street"))
        where = {"row": number}
        if not username:
            errors.append(_("Row %(row)d, column 干部账号: empty.") % where)
        elif username not in cadres:
            errors.append(_("Row %(row)d, column 干部账号: no active user “%(value)s” in this district.")
                          % {**where, "value": username})
        elif cadres[username].role not in (Role.CADRE, Role.OFFICE, Role.REPORTER, Role.UNIT_HEAD):
            errors.append(_("Row %(row)d, column 干部账号: “%(value)s” is not a cadre.") % {**where, "value": username})
        if not name:
            errors.append(_("Row %(row)d, column 企业名称: empty.") % where)
        elif len(name) > 200:
            errors.append(_("Row %(row)d, column 企业名称: longer than 200 characters.") % where)
        elif name in seen:
            errors.append(_("Row %(row)d, column 企业名称: “%(value)s” is already in row %(first)d.")
                          % {**where, "value": name, "first": seen[name]})
        else:
            seen[name] = number
        if credit_code:
            try:
                validate_credit_code(credit_code)
            except Exception as exc:  # noqa: BLE001 — a ValidationError, its messages in the user's language
                message = " ".join(getattr(exc, "messages", [str(exc)]))
                errors.append(_("Row %(row)d, column 统一社会信用代码: %(message)s") % {**where, "message": message})
        street = None
        if street_name:
            street = streets.get(street_name)
            if street is None:
                errors.append(_("Row %(row)d, column 所属街道: no street office “%(value)s” in this district.")
                              % {**where, "value": street_name})
        visit_by = _date(row.get("visit_by"), number, errors)
        checked.append((username, name, credit_code, street, _text(row.get("company_type"))[:50], visit_by))
    if errors:
        raise ImportRefused(errors)
    result = Result()
    with transaction.atomic():
        for username, name, credit_code, street, company_type, visit_by in checked:
            company, created = Company.objects.get_or_create(
                region_id=region_id, name=name,
                defaults={"credit_code": credit_code, "street": street, "company_type": company_type})
            result.companies_created += created
            if not created:
                changed = False
                for attr, value in (("credit_code", credit_code), ("street", street), ("company_type", company_type)):
                    if value and getattr(company, attr) != value:
                        setattr(company, attr, value)
                        changed = True
                if changed:
                    company.save()
            cadre = cadres[username]
            existing = VisitAssignment.objects.filter(year=year, company=company).select_related("cadre").first()
            if existing is None:
                VisitAssignment.objects.create(region_id=region_id, year=year, cadre=cadre, company=company,
                                               visit_by=visit_by)
                result.created += 1
            elif existing.cadre_id != cadre.pk or existing.visit_by != visit_by:
                if existing.cadre_id != cadre.pk:
                    result.notes.append(_("%(company)s moved from %(old)s to %(new)s.") % {
                        "company": name, "old": existing.cadre.display_name(), "new": cadre.display_name()})
                    result.moved += 1
                else:
                    result.unchanged += 1
                existing.cadre, existing.visit_by = cadre, visit_by
                existing.save()
            else:
                result.unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return result
