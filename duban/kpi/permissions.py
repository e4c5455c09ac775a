"""Who may do what with indicator targets (registered in duban.accounts.permissions).

Everyone signed in reads the KPI pages. The office turns proposals into metrics
and corrects values; a unit's reporter and head report values only for the
metrics their unit owns (by form or spreadsheet).
"""

from duban.accounts.models import Role
from duban.accounts.permissions import EVERYONE, OFFICE, OWN_UNIT, register

UNIT_REPORTERS = {**OFFICE, Role.REPORTER: OWN_UNIT, Role.UNIT_HEAD: OWN_UNIT}

register("kpi.view", EVERYONE)
register("kpi.export", EVERYONE)
register("kpi.manage", OFFICE)  # review proposals, create and edit metrics
register("kpi.report", UNIT_REPORTERS)
register("kpi.import", UNIT_REPORTERS)
register("kpi.correct", OFFICE)
