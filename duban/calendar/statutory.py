"""The days the law closes in a year whose notice is not out yet.

The `holidays` package computes them for any year, lunar festivals included,
with the make-up weekday (补假) that 《全国年节及纪念日放假办法》 gives when a
festival falls on a weekend. Until the notice moves weekend days around, that
is the best guess; every deadline counted over such a year is provisional.
"""

import datetime
import functools

import holidays


@functools.lru_cache(maxsize=512)
def statutory_holidays(country: str, year: int) -> dict[datetime.date, str]:
    """{date: name} of the statutory days off in the country's year; {} for an unknown country."""
    try:
        table = holidays.country_holidays(country, years=year, language="zh_CN")
    except (NotImplementedError, KeyError):
        return {}
    except ValueError:
        # A country without Chinese names: take its own language.
        table = holidays.country_holidays(country, years=year)
    return dict(table.items())
