"""The hotline's rate limits (counted by duban.core.throttle).

Public intake is limited per IP address; failed status look-ups are limited
per IP address and per tracking code, so that guessing codes or mobile
numbers gets refused long before it could succeed.
"""

from duban.core.throttle import Limit

HOUR, DAY = 3600, 86400
INTAKE_PER_IP = Limit("intake-ip", "DUBAN_HOTLINE_INTAKE_PER_HOUR", 20, HOUR)
LOOKUP_FAILURES_PER_IP = Limit("lookup-ip", "DUBAN_HOTLINE_LOOKUP_FAILURES_PER_HOUR", 20, HOUR)
LOOKUP_FAILURES_PER_CODE = Limit("lookup-code", "DUBAN_HOTLINE_LOOKUP_FAILURES_PER_CODE", 10, DAY)
