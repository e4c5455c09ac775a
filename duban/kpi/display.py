"""How numbers and targets are written on pages, in charts and in spreadsheets."""

from decimal import Decimal

from .models import Direction

SYMBOLS = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤", Direction.EQUAL: "=", Direction.REDUCE_BY: "↓"}


def number(value):
    """96, 0.5, 6000, 5.99: no trailing zeros, no exponent."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity(value, unit):
    """A number with its unit: 96%, 0.5 工作日, 6000 人."""
    text = number(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def target_phrase(direction, value, unit):
    """≥ 96%, ≤ 0.5 工作日, = 9%, ↓ 15%."""
    if direction == Direction.REDUCE_BY:
        return f"{SYMBOLS[direction]} {number(value)}%"
    return f"{SYMBOLS.get(direction, '')} {quantity(value, unit)}".strip()
