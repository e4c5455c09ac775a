"""The audit trail: who changed what, when, from where; log-ins and denials.

Other apps call, from their AppConfig.ready():

    from duban import audit
    audit.register(Complaint, exclude=["updated_at"], mask=["phone"])

and, in a view that shows personal data unmasked:

    audit.record_personal_data_view(request, complaint, "phone")
"""


def register(model, exclude=(), mask=()):
    from .trail import register

    register(model, exclude=exclude, mask=mask)


def record_personal_data_view(request, obj, field):
    from .trail import record_personal_data_view

    return record_personal_data_view(request, obj, field)


def record(action, **kwargs):
    """Write an entry that is no model change (e.g. Entry.Action.COMMAND for `duban restore`)."""
    from .trail import write

    return write(action, **kwargs)
