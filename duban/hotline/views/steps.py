"""Taking a step on a complaint or a review: one handler for every step form.

The detail page lists the step forms that apply to the subject now and that
the user may take; each posts to its own URL, handled here. A refused step
(state changed meanwhile, permission) never changes anything.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from duban.accounts.permissions import can, require

from ..models import IllegalTransition


def available(steps, subject, user, data=None, bound_name=None):
    """The step forms for this subject and user; the one named bound_name is bound to `data`."""
    forms = []
    for cls in steps:
        if not can(user, cls.permission, subject):
            continue
        form = cls(data if cls.name == bound_name else None, subject=subject, actor=user)
        if form.applies():
            forms.append(form)
    return forms


def take(request, subject, steps, name, render_detail):
    """Run step `name` on `subject` from POST data; returns the response."""
    cls = next((s for s in steps if s.name == name), None)
    if cls is None:
        raise Http404
    require(request.user, cls.permission, subject)
    form = cls(request.POST, subject=subject, actor=request.user)
    if not form.applies():
        return render_detail(
            error=_("“%(step)s” is not possible at this stage (the record may have just been changed by someone else).")
            % {"step": cls.label}, status=409)
    if not form.is_valid():
        return render_detail(bound=form, status=400)
    try:
        form.apply()
    except IllegalTransition as error:
        return render_detail(error=str(error), status=409)
    messages.success(request, _("Done: %(step)s.") % {"step": cls.label})
    return redirect(subject.get_absolute_url())
