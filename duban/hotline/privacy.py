"""Complainants' and reviewers' names and mobile numbers are personal information.

Everyone sees them masked (张**, 138****5678) except those with the right
"hotline.view_personal_data" for the complaint or review: the office, and the
staff of the unit handling it. Every time they are shown unmasked — on a page
or in an export — a PersonalDataAccess row records who, when and from where,
and the site's audit trail gets its "personal data" entry.
"""

from duban import audit
from duban.accounts.permissions import can
from duban.core.addresses import client_ip

from .models import Complaint, PersonalDataAccess

ACTION = "hotline.view_personal_data"


def mask_mobile(mobile):
    mobile = mobile or ""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}{'*' * (len(mobile) - 7)}{mobile[-4:]}"


def mask_name(name):
    name = name or ""
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


def may_see(user, obj):
    return can(user, ACTION, obj)


def _fields(obj):
    if isinstance(obj, Complaint):
        return obj.contact_name, obj.mobile
    return obj.reviewer_name, obj.reviewer_mobile


def contact_of(request, obj, purpose=PersonalDataAccess.Purpose.VIEW):
    """{"name", "mobile", "masked"} of a complaint or review as this user may see it; logs unmasked views."""
    name, mobile = _fields(obj)
    if not may_see(request.user, obj):
        return {"name": mask_name(name), "mobile": mask_mobile(mobile), "masked": True}
    if name or mobile:
        log(request, [obj], purpose)
    return {"name": name, "mobile": mobile, "masked": False}


def log(request, objects, purpose):
    """One PersonalDataAccess per object (asked per complaint: who saw this number?), and the audit trail's entry."""
    ip, path = client_ip(request), request.get_full_path()[:300]
    rows = []
    for obj in objects:
        kind = "complaint" if isinstance(obj, Complaint) else "review"
        rows.append(PersonalDataAccess(user=request.user, purpose=purpose, ip=ip, path=path, **{kind: obj}))
        audit.record_personal_data_view(request, obj, f"{purpose}: name, mobile")
    PersonalDataAccess.objects.bulk_create(rows, batch_size=1000)
