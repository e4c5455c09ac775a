"""The unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-character alphabet (the digits and the capital
letters without I, O, Z, S, V, which are too easily misread). The first
seventeen are weighted by 3^(i) mod 31; the eighteenth is the check
character: 31 − (sum mod 31), where 31 maps back to 0.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {c: i for i, c in enumerate(ALPHABET)}


def normalize(value):
    """What people type, as the code is printed: spaces dropped, upper case, full-width letters folded."""
    text = "".join(str(value or "").split())
    # Full-width digits and letters (ＡＢ１２) come from Chinese input methods.
    text = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)
    return text.upper()


def check_character(first17):
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code):
    """Why `code` (normalized) is not a valid credit code, or "" when it is."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(code)}
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        return _("A unified social credit code cannot contain %(chars)s (I, O, Z, S and V are never used).") % {
            "chars": "、".join(bad)}
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 of a unified social credit code are the region's six-digit code.")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("The last character (the check character) does not match: please check the code for typing errors.")
    return ""


def validate_credit_code(value):
    message = problem(normalize(value))
    if message:
        raise ValidationError(message, code="credit_code")
