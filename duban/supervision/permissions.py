from duban.accounts.models import Role
from duban.accounts.permissions import ALL, LED_AREAS, register

register("supervision.view_meetings", {Role.OFFICE: ALL, Role.ADMIN: ALL, Role.LEADER: LED_AREAS})
register("supervision.manage_meetings", {Role.OFFICE: ALL, Role.ADMIN: ALL})
register("supervision.view_statistics", {Role.OFFICE: ALL, Role.ADMIN: ALL, Role.LEADER: ALL})
register("supervision.manage_circulars", {Role.OFFICE: ALL, Role.ADMIN: ALL})
register("supervision.view_assessment", {Role.OFFICE: ALL, Role.ADMIN: ALL, Role.LEADER: ALL})
register("supervision.manage_assessment", {Role.OFFICE: ALL, Role.ADMIN: ALL})
# A leader sees their own page; the office sees any leader's.
register("supervision.view_leader_page", {Role.OFFICE: ALL, Role.ADMIN: ALL, Role.LEADER: LED_AREAS})
