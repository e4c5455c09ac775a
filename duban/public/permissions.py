from duban.accounts.models import Role
from duban.accounts.permissions import ALL, register

register("public.manage", {Role.OFFICE: ALL, Role.ADMIN: ALL})
