"""A report's list of recommendations, pasted as text, read into numbered items.

The list at the end of a CPT report (or its body) is a run of numbered paragraphs::

    57. The CPT recommends that the Greek authorities take steps to ensure that
    detained persons are informed of their rights.
    58-59. The Committee requests information on ...
    - 60. comments: ...

A paragraph starts on a line that begins with its number as printed ("57", "57-58", "57a"),
optionally after a bullet, followed by ".", ")" or ":"; the lines after it, up to the next
numbered line, continue it. A short line between paragraphs that does not end a sentence is a
heading ("Police custody") and is left out; so is text before the first numbered paragraph.
Nothing here saves anything: ``parse`` returns what it read, and what it could not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from visits.models import PARAGRAPH, RecommendationKind

NUMBERED = re.compile(
    r"^(?:[-*•–·]\s*)?"  # a bullet
    r"(?:§\s*|para(?:graph)?\.?\s+)?"  # "§ 57", "para. 57"
    r"(\d{1,4}[a-z]?(?:\s*[-–—]\s*\d{1,4}[a-z]?)?)"  # the paragraph as printed
    r"\s*[.):]\s*"  # its punctuation, then the text (or on the next lines)
    r"(.*)$"
)
SENTENCE_END = re.compile(r"[.;:!?»\"”')]\s*$")
HEADING_LENGTH = 80
LONGEST_TEXT = 20_000

# Wording that tells the kind, in English and French; first match wins.
KIND_WORDS = [
    (
        RecommendationKind.REQUEST_FOR_INFORMATION,
        re.compile(
            r"\b(requests?|would like to (receive|be informed)|wishes to (receive|be informed)|"
            r"asks? to be informed)\b|\b(demande|souhaite (recevoir|être informé))",
            re.IGNORECASE,
        ),
    ),
    (RecommendationKind.RECOMMENDATION, re.compile(r"\brecommend|\brecommande", re.IGNORECASE)),
]
IMMEDIATE_WORDS = re.compile(
    r"\b(immediate(ly)? action|immediately|without delay|as a matter of (urgency|priority)|"
    r"immédiatement|sans délai|de toute urgence)\b",
    re.IGNORECASE,
)


@dataclass
class Item:
    paragraph: str
    text: str
    kind: str
    immediate_action: bool
    line: int


@dataclass
class Reading:
    items: list[Item] = field(default_factory=list)
    left_out: list[tuple[int, str]] = field(default_factory=list)  # (line, text): headings...
    problems: list[str] = field(default_factory=list)


def detect_kind(text: str) -> str:
    for kind, words in KIND_WORDS:
        if words.search(text):
            return kind
    return RecommendationKind.COMMENT


def parse(text: str, kind: str = "") -> Reading:
    """The numbered paragraphs of ``text``. ``kind``: the kind of every item, or "" to tell
    each one's kind from its wording."""
    reading = Reading()
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current: Item | None = None
    body: list[str] = []
    pending: list[tuple[int, str]] = []  # lines not yet known to be a heading or a continuation

    def close() -> None:
        nonlocal current
        if current is not None:
            current.text = " ".join(body).strip()
            current.kind = kind or detect_kind(current.text)
            current.immediate_action = bool(IMMEDIATE_WORDS.search(current.text))
            reading.items.append(current)
        current = None
        body.clear()

    for number, raw in enumerate(lines, start=1):
        line = " ".join(raw.split())
        match = NUMBERED.match(line)
        if match and PARAGRAPH.match(_paragraph(match.group(1))):
            # Lines held back before this paragraph: headings.
            reading.left_out.extend(pending)
            pending.clear()
            close()
            current = Item(_paragraph(match.group(1)), "", "", False, number)
            body.append(match.group(2))
            continue
        if not line:
            continue
        if current is None:
            reading.left_out.append((number, line))
        elif _may_be_heading(line, body, pending):
            pending.append((number, line))
        else:
            body.extend(text for _, text in pending)
            pending.clear()
            body.append(line)
    # Lines held back at the very end continue the last paragraph.
    body.extend(text for _, text in pending)
    close()
    _check(reading)
    return reading


def _paragraph(printed: str) -> str:
    """ "57 – 58" as "57-58"."""
    return re.sub(r"\s*[-–—]\s*", "-", printed)


def _may_be_heading(line: str, body: list[str], pending: list[tuple[int, str]]) -> bool:
    """A short line that ends no sentence, after a paragraph that ended one."""
    previous = pending[-1][1] if pending else (body[-1] if body else "")
    return (
        len(line) <= HEADING_LENGTH
        and not SENTENCE_END.search(line)
        and bool(SENTENCE_END.search(previous))
    )


def _check(reading: Reading) -> None:
    if not reading.items:
        reading.problems.append(
            _(
                "No numbered paragraph was found. Each one starts on a new line with its number "
                'as printed, then a full stop: "57. The CPT recommends..."'
            )
        )
        return
    seen: dict[tuple[str, str], int] = {}
    for item in reading.items:
        key = (item.paragraph, item.kind)
        if key in seen:
            reading.problems.append(
                _("Paragraph %(paragraph)s appears twice (lines %(first)s and %(second)s).")
                % {"paragraph": item.paragraph, "first": seen[key], "second": item.line}
            )
        seen.setdefault(key, item.line)
        if not item.text:
            reading.problems.append(
                _("Paragraph %(paragraph)s (line %(line)s) has no text.")
                % {"paragraph": item.paragraph, "line": item.line}
            )
        elif len(item.text) > LONGEST_TEXT:
            reading.problems.append(
                _(
                    "Paragraph %(paragraph)s (line %(line)s) is longer than %(limit)s characters: "
                    "is a number missing before the next paragraph?"
                )
                % {"paragraph": item.paragraph, "line": item.line, "limit": LONGEST_TEXT}
            )
