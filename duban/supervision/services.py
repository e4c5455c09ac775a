"""Operations on dispatch meetings shared by the views, the API and the demo simulation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from duban.calendar.workdays import add_workdays
from duban.plans.models import Measure, MeasureLeadUnit

from .models import ActionItem, AgendaItem

if TYPE_CHECKING:
    from duban.plans.models import Area, Leader, Unit


@transaction.atomic
def record_decision(agenda_item: AgendaItem, decision: str,
                    actions: Iterable[dict[str, Any]] = ()) -> list[ActionItem]:
    """Record what the meeting decided on an item and create its action items.

    `actions`: dicts with text, owner_unit, workdays, leader (optional), area (optional: defaults to the
    item's area). Each action item becomes a measure in the owner unit's ledger, due `workdays` working
    days after the meeting, so that it is reported on, lit and chased like any measure.
    """
    decision = (decision or "").strip()
    if not decision and not actions:
        raise ValidationError("A decision needs its text or at least one action item.")
    agenda_item.decision = decision
    agenda_item.save(update_fields=["decision"])
    created = []
    for action in actions:
        created.append(add_action_item(agenda_item, **action))
    return created


def add_action_item(agenda_item: AgendaItem, *, text: str, owner_unit: Unit, workdays: int | str,
                    leader: Leader | None = None, area: Area | None = None, public: bool = False) -> ActionItem:
    meeting = agenda_item.meeting
    area = area or agenda_item.area or (agenda_item.measure.area if agenda_item.measure else None)
    if area is None:
        raise ValidationError("Choose the area this action item belongs to.")
    if area.plan_id != meeting.plan_id:
        raise ValidationError("The area is not in this meeting's plan.")
    if not text.strip():
        raise ValidationError("An action item needs its text.")
    if not 1 <= int(workdays) <= 250:
        raise ValidationError("Working days must be between 1 and 250.")
    leader = leader or area.chief
    measure = Measure.objects.create(
        plan=meeting.plan, area=area, text=text.strip(), deadline=add_workdays(meeting.held_on, int(workdays)),
        deadline_text=f"会后{workdays}个工作日", source=Measure.ACTION_ITEM_SOURCE,
        notes={"meeting": meeting.title, "meeting_date": meeting.held_on.isoformat()},
        # Numbered through the plan (调度-1, 调度-2, …) and listed after the area's printed measures.
        number=Measure.objects.filter(plan=meeting.plan, source=Measure.ACTION_ITEM_SOURCE).count() + 1,
        position=10000 + (Measure.objects.filter(area=area).count()),
    )
    MeasureLeadUnit.objects.create(measure=measure, unit=owner_unit, position=0)
    return ActionItem.objects.create(agenda_item=agenda_item, measure=measure, owner_unit=owner_unit,
                                     leader=leader, workdays=int(workdays), public=bool(public))
