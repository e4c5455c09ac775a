from duban.accounts.models import Role
from duban.accounts.permissions import ALL, OWN_UNIT, register

# Office and administrators manage every token; a unit's staff manage their own unit-limited ones
# (OWN_UNIT: the tokens they created, which can only reach their unit; ApiToken.permission_scope_check).
register("api.manage_tokens", {Role.OFFICE: ALL, Role.ADMIN: ALL, Role.REPORTER: OWN_UNIT, Role.UNIT_HEAD: OWN_UNIT})
