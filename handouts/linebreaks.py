"""Where a line of Chinese or Japanese may break: never before closing punctuation or small kana, never after an opening
bracket (kinsoku, as JIS X 4051 and GB/T 15834 give it); inside a word the engine wrote (a date, a weekday, a number
with its unit, a Latin word, a patient's name) only when the word alone is wider than the line; and a title's lines
balanced, never leaving one character alone on its last line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .writing import is_cjk

# Characters that never start a line (closing punctuation, small kana, dashes and iteration marks) and that never end
# one (opening brackets).
CANNOT_START = frozenset("，。、；：？！）」』】〉》〕〗〙〛｝］’”…‥—～〜・·％‰℃¢°′″〞〟!),.:;?]}"
                         "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿーヽヾゝゞ々〻")
CANNOT_END = frozenset("（「『【〈《〔〖〘〚｛［‘“〝([{")
# A break right after one of these makes a title's lines read as phrases (after the possessive 的, a conjunction, a comma).
GOOD_AFTER = frozenset("的之和与與及或、，；：の")
# A range's dash never starts a line (alone there it would read as a stray mark); a line may end after it
# ("11月24日周二 –"), unless it is inside a number ("1–3").
DASHES = frozenset("–—～〜")

# How welcome a break before a character is.
NEVER = 0  # kinsoku: only when nothing else is left (a line of nothing but such characters)
WORD = 1  # inside a word: a weekday, a number with its unit, a Latin word, a name given whole
PART = 2  # between the parts of a date (year, month, day, weekday): only when the whole date is wider than the line
FREE = 3  # between Chinese characters, at a space, where a Latin word meets Chinese

_SPACE = "[ \u00a0]?"
_WEEKDAY = "(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]|[（(][月火水木金土日][）)]"
_NUMBER = r"\d+(?:[.,:]\d+)*(?:" + _SPACE + r"[–\-~～至到]" + _SPACE + r"\d+(?:[.,:]\d+)*)?"
_UNIT = ("小时|小時|分钟|分鐘|个月|個月|ヶ月|か月|カ月|週間|時間|星期|天|日|周|週|月|年|岁|歲|歳|次|回|秒|分|点|點|号|號|倍|"
         "毫升|毫克|千克|公斤|克|厘米|毫米|度|时|時|%|％|°C|°F|℃")
# The words the engine writes into Chinese and Japanese text, each kept whole: a weekday, a number with its unit ("24
# 小时", "第1–3天", "5天", a date's "2026年", "11月", "24日")...
ENGINE_WORD = re.compile(rf"(?:第{_SPACE})?{_NUMBER}{_SPACE}(?:{_UNIT})|第{_SPACE}{_NUMBER}|{_WEEKDAY}")
# ...and a date made of them ("2026年11月24日周二", "11月24日(火)"), broken between its parts only when it is wider than a line.
ENGINE_DATE = re.compile(rf"(?:\d+{_SPACE}年{_SPACE})?\d+{_SPACE}月{_SPACE}\d+{_SPACE}日(?:{_SPACE}(?:{_WEEKDAY}))?"
                         rf"|\d+{_SPACE}年{_SPACE}\d+{_SPACE}月")


def latin(char: str) -> bool:
    """True for a character of a word written with spaces around it (letters, digits, and the hyphens, dots and @ of
    names, numbers and addresses, and a no-break space inside one), which breaks only at a space."""
    return char == "\u00a0" or (not char.isspace() and not is_cjk(char))


def break_levels(text: str, whole: Sequence[bool] | None = None) -> list[int]:
    """How welcome a break before each character of text is (NEVER, WORD, PART or FREE; the first is NEVER); whole marks
    characters of a word given whole (a patient's name), which breaks inside only as a last resort."""
    size = len(text)
    levels = [NEVER] * size
    inside = [FREE] * size  # the best a break before this character can be, for the engine's words around it
    for pattern, level in ((ENGINE_DATE, PART), (ENGINE_WORD, WORD)):
        for found in pattern.finditer(text):
            for i in range(found.start() + 1, found.end()):
                inside[i] = min(inside[i], level)
    if whole is not None:  # a name given whole: at its own spaces before anywhere else inside it
        for i in range(1, size):
            if whole[i] and whole[i - 1]:
                inside[i] = min(inside[i], PART if text[i - 1] == " " else WORD)
    before = ""  # the last character before i that is not a space
    spaced = False
    for i, char in enumerate(text):
        if char == " ":
            spaced = True
            continue
        if before:
            level = NEVER if char in CANNOT_START or before in CANNOT_END or char in DASHES else (
                WORD if not spaced and latin(before) and latin(char) and before not in DASHES else inside[i])
            for j in range(_last_before(text, i), i + 1):
                levels[j] = level  # a break before the spaces or after them ends the line at the same character
        before, spaced = char, False
    return levels


def _last_before(text: str, i: int) -> int:
    """The index just after the last character before i that is not a space."""
    while i > 0 and text[i - 1] == " ":
        i -= 1
    return i


def line_end(levels: Sequence[int], start: int, end: int) -> int:
    """Where a full line from start should end, given that the character at end no longer fits: the last free break
    after start, else the last between the parts of a date, else the last inside a word, else end."""
    for wanted in (FREE, PART, WORD):
        for i in range(end, start, -1):
            if levels[i] >= wanted:
                return i
    return end


def balanced_breaks(text: str, widths: Sequence[float], levels: Sequence[int], width: float, count: int) -> list[int] | None:
    """The breaks that set text in count lines no wider than width, each as long as the others as far as the breaks
    allow (a break after 的 or a comma preferred, one inside a word only when needed, never a single character alone on
    the last line); None when count lines cannot hold it."""
    size = len(text)
    offsets = [0.0]
    for w in widths:
        offsets.append(offsets[-1] + w)

    def measure(start: int, stop: int) -> float:
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        return offsets[stop] - offsets[start]

    def penalty(at: int) -> float:
        if levels[at] == NEVER:
            return width * width * 100
        if levels[at] < FREE:
            return width * width * (FREE - levels[at])
        return -(0.25 * width) ** 2 if text[_last_before(text, at) - 1] in GOOD_AFTER or text[at - 1] == " " else 0.0

    def start_of(at: int) -> int:
        while at < size and text[at] == " ":
            at += 1
        return at

    lone = width * width * 10
    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}  # (lines set, next start) → cost, breaks
    for lines in range(count):
        for (done, start), (cost, breaks) in sorted(best.items()):
            if done != lines:
                continue
            stops = [size] if lines == count - 1 else range(start + 1, size)
            for stop in stops:
                used = measure(start, stop)
                if used > width + 1e-6:
                    break
                slack = width - used
                extra = slack * slack + (penalty(stop) if stop < size else 0.0)
                if stop == size and lines and sum(not c.isspace() and c not in CANNOT_START for c in text[start:stop]) == 1:
                    extra += lone
                key = (lines + 1, start_of(stop) if stop < size else size)
                if key not in best or best[key][0] > cost + extra:
                    best[key] = (cost + extra, breaks + ([stop] if stop < size else []))
    found = best.get((count, size))
    return found[1] if found is not None else None


_TAG = re.compile(r"(<[^>]*>)")


def kept_whole(markup: str, words: Sequence[str]) -> str:
    """Paragraph markup with each of these words (already escaped, as the markup holds them) in <nobr>, outside tags
    only, so that a line breaks inside one (a patient's name filled into the text) only when it is wider than the line."""
    words = sorted({word for word in words if len(word) > 1}, key=len, reverse=True)
    if not words:
        return markup
    found = re.compile("|".join(map(re.escape, words)))
    return "".join(part if part.startswith("<") else found.sub(lambda m: f"<nobr>{m.group()}</nobr>", part)
                   for part in _TAG.split(markup))
