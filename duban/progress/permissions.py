"""Who may do what with progress reports, registered in duban.accounts.permissions.

- unit reporters and heads write the reports of the measures their unit leads
  (OWN_UNIT) and read those their unit cooperates on (COOPERATING); only the
  head submits;
- cooperating-unit staff read and add contributions where their unit cooperates;
- district leaders read everything in the areas they chair (LED_AREAS);
- the office (and administrators) read everything, review, open rounds.
"""

from duban.accounts.models import Role
from duban.accounts.permissions import COOPERATING, LED_AREAS, OFFICE, OWN_UNIT, register

UNIT_STAFF_READ = {Role.REPORTER: COOPERATING, Role.UNIT_HEAD: COOPERATING, Role.COOPERATOR: COOPERATING}
READERS = {**OFFICE, **UNIT_STAFF_READ, Role.LEADER: LED_AREAS}

RULES = {
    "progress.view_report": READERS,
    "progress.download_evidence": READERS,
    "progress.view_ledger": READERS,
    "progress.export_ledger": READERS,
    "progress.edit_report": {Role.REPORTER: OWN_UNIT, Role.UNIT_HEAD: OWN_UNIT},
    "progress.submit_report": {Role.UNIT_HEAD: OWN_UNIT},
    "progress.contribute": {Role.REPORTER: COOPERATING, Role.UNIT_HEAD: COOPERATING, Role.COOPERATOR: COOPERATING},
    "progress.review_report": OFFICE,
    "progress.open_round": OFFICE,
    "progress.view_matrix": {**OFFICE, Role.LEADER: LED_AREAS},
}

for action, roles in RULES.items():
    register(action, roles)
