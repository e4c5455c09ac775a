from duban.accounts.models import Role
from duban.accounts.permissions import ALL, register

# Office and administrators manage every token; a unit's staff manage their own unit-limited ones.
register("api.manage_tokens", {Role.OFFICE: ALL, Role.ADMIN: ALL, Role.REPORTER: ALL, Role.UNIT_HEAD: ALL})
