"""Small text helpers for Chinese government documents.

Reposted copies of plans and notices often come in traditional characters or
with full-width/half-width punctuation mixed; matching names across them needs
one normal form. Traditional → simplified is OpenCC's (`opencc`), Chinese numerals
cn2an's: kept libraries, not tables kept by hand.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_PUNCT_TO_ASCII = str.maketrans({
    "（": "(", "）": ")", "：": ":", "；": ";", "，": ",", "、": ",", "。": ".", "！": "!", "？": "?",
    "〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]", "“": '"', "”": '"', "‘": "'", "’": "'",
    "《": "<", "》": ">", "　": " ",
})


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


_ASCII_ONLY = re.compile(r"^[\x00-\x7f]*$")


@lru_cache(maxsize=50_000)
def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC's t2s), as reposted copies of plans need."""
    if not text or _ASCII_ONLY.match(text):
        return text
    return _t2s().convert(text)


_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①…⑳
_CN_NUMERAL = re.compile(r"^[〇零一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]+$")


def chinese_number(text: str | None) -> int | None:
    """'三' → 3, '十二' → 12, '一百零五' → 105, '二〇二四' → 2024, '①' → 1; digits as they are; else None.

    Chinese numerals through cn2an, the kept library for them; circled numbers (steps ①②) by hand,
    as cn2an does not read them.
    """
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    if text in _CIRCLED:
        return _CIRCLED[text]
    if not _CN_NUMERAL.match(text):
        return None
    import cn2an

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError):
        return None
    return int(value) if float(value).is_integer() else None


_COMPATIBILITY = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
# The CJK Radicals Supplement (U+2E80–U+2EFF) has no NFKC mapping; these are the radicals that print as
# whole characters (Unicode's EquivalentUnifiedIdeograph.txt), the ones a font's glyph map may give.
_RADICALS_SUPPLEMENT = dict(zip(
    "⺁⺇⺊⺒⺓⺗⺛⺝⺟⺠⺧⺩⺬⺮⺶⺼⺾⻁⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻰⻳⻊",
    "厂几卜巳幺心旡月母民牛王示竹羊月艹虎西见角贝车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄齐齿龙龟足"))


def fold_compatibility(text: str) -> str:
    """Kangxi radicals and CJK compatibility ideographs to the characters they stand for (⼈ U+2F08 → 人,
    ⻓ → 长): PDF and OFD text extraction gives them where the font maps a glyph to one. Only those
    ranges are folded (NFKC), so full-width punctuation stays as printed."""
    return _COMPATIBILITY.sub(
        lambda m: _RADICALS_SUPPLEMENT.get(m.group(0)) or unicodedata.normalize("NFKC", m.group(0)), text)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


@lru_cache(maxsize=20_000)
def _traditional_only(char: str) -> str | None:
    """The simplified form of a character that is written only in traditional texts (戶 → 户, 發 → 发),
    else None: 著, 乾, 瞭 … are simplified characters too (OpenCC's s2t does not give them back)."""
    simple = _t2s().convert(char)
    return simple if simple != char and _s2t().convert(simple) == char else None


def fold_stray_traditional(texts: Iterable[str]) -> dict[int, str]:
    """A table for str.translate folding the traditional forms a text written in simplified characters
    holds only by accident — a PDF font that maps the glyph 户 to the code 戶 in the text layer — back to
    simplified; {} for a text written in traditional characters (many of them), which stays as written.
    `texts`: all the text of one document."""
    counts: dict[str, int] = {}
    cjk = 0
    for text in texts:
        for char in text:
            if "\u4e00" <= char <= "\u9fff":
                cjk += 1
                counts[char] = counts.get(char, 0) + 1
    strays = {char: n for char, n in counts.items() if _traditional_only(char)}
    if not strays or len(strays) > 3 and sum(strays.values()) > cjk * 0.01:
        return {}
    return {ord(char): _traditional_only(char) or char for char in strays}


def fold_width(text: str) -> str:
    """Full-width ASCII letters/digits to half-width (NFKC), keeping Chinese punctuation."""
    return "".join(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" and ch not in "（）：；，" else ch
                   for ch in text)


_SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Remove all whitespace: PDF extraction breaks names like '区 审计局' across lines."""
    return _SPACES.sub("", text)


def match_key(text: str) -> str:
    """A normal form for comparing names and sentences: simplified, no spaces, no punctuation."""
    text = to_simplified(fold_width(text)).translate(_PUNCT_TO_ASCII)
    return re.sub(r"[\s\"'()<>\[\].,;:!?*·\-—_/]", "", text)
