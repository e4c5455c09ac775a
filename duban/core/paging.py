"""Pages of a list whose cost does not grow with the data.

Django's `Paginator` counts every matching row to number the pages; over a province's 100,000 open
complaints that `COUNT(*)` is nearly all of the page's time. `BoundedPaginator` counts at most
`bound` rows (a `COUNT(*)` over a `LIMIT bound + 1` subquery): up to the bound the count and the page
numbers are exact; beyond it the list says "more than 2,000" and pages on with 下一页, each page
reading one row more than it shows to know whether another follows. The cost of a page is then
bounded by `bound` and the page's offset, whatever the table's size (docs/development.md, "Lists").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator

BOUND = 2000


class BoundedPage(Page):
    def __init__(self, object_list: Sequence[Any], number: int, paginator: BoundedPaginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class BoundedPaginator(Paginator):
    """A paginator that counts no further than `bound` rows (see the module's docstring)."""

    def __init__(self, object_list: Any, per_page: int, bound: int = BOUND, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound

    @cached_property
    def count(self) -> int:
        """The number of rows, or `bound + 1` when there are more than `bound`."""
        if hasattr(self.object_list, "count") and not isinstance(self.object_list, list):
            return self.object_list[: self.bound + 1].count()
        return len(self.object_list[: self.bound + 1])

    @property
    def exact(self) -> bool:
        """Whether `count` is the whole count (False: there are more than `bound` rows)."""
        return self.count <= self.bound

    def validate_number(self, number: Any) -> int:
        if self.exact:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"])
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> BoundedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        return BoundedPage(rows[: self.per_page], number, self, more)

    def get_page(self, number: Any) -> BoundedPage:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            if self.exact:
                return self.page(self.num_pages)
            return self.page(1)
        except InvalidPage:  # pragma: no cover - the two above are the only kinds
            return self.page(1)
