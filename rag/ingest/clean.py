"""Raw text -> cleaned lines: every line normalised, page furniture set aside with its reason, PDF line
wraps rejoined."""
from __future__ import annotations

from dataclasses import dataclass

from ..text.normalize import normalize_line
from ..text.sentences import ENDS
from .body import PART, is_heading, join_lines
from .noise import Dropped, is_end_of_article, noise_reason, source_attribution

_SENTENCE_END = ENDS + ":”’)》」』"  # a line ending so is not cut by the page width


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the text as read
    text: str




def clean_lines(raw: str) -> tuple[list[Line], list[Dropped], list[str]]:
    """Normalise every line and drop page furniture. Returns (kept, dropped, source attributions)."""
    kept: list[Line] = []
    dropped: list[Dropped] = []
    sources: list[str] = []
    body_started = False
    end_marker: str | None = None
    for no, raw_line in enumerate(raw.splitlines(), start=1):
        text = normalize_line(raw_line)
        if not text:
            continue
        if end_marker is not None:
            dropped.append(Dropped(no, text, f"after the end-of-article marker «{end_marker}»"))
            continue
        m = PART.match(text)
        if m and m.group(1) == "一":
            body_started = True
        if body_started and is_end_of_article(text):
            end_marker = text
            dropped.append(Dropped(no, text, "end-of-article marker"))
            continue
        source = source_attribution(text)
        if source:
            sources.append(source)
            dropped.append(Dropped(no, text, "source attribution (kept as the plan's `source`)"))
            continue
        reason = noise_reason(text)
        if reason:
            dropped.append(Dropped(no, text, reason))
            continue
        kept.append(Line(no, text))
    return kept, dropped, sources


def reflow(lines: list[Line]) -> list[Line]:
    """Rejoin paragraphs that a PDF wrapped at the page width.

    A line at (nearly) the full text width that does not close a sentence continues on the next line,
    unless the next line starts a heading. Short lines (titles, headings, signatures) are never joined.
    """
    if len(lines) < 3:
        return lines
    lengths = sorted(len(line.text) for line in lines)
    width = lengths[int(len(lengths) * 0.9)]
    out: list[Line] = []
    joined: list[list[str]] = []  # the lines rejoined onto each of `out`, joined once at the end
    end = ""  # the last character of out[-1] with what was joined onto it
    for line in lines:
        # (a line that had one joined onto it was already at the full width, and is longer now)
        if (out and (joined[-1] or len(out[-1].text) >= 0.8 * width) and end not in _SENTENCE_END
                and not is_heading(line.text)):
            joined[-1].append(line.text)
        else:
            out.append(line)
            joined.append([])
        end = line.text[-1:] or end
    return [Line(first.no, join_lines(first.text, more)) if more else first for first, more in zip(out, joined)]


