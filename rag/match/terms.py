"""The measure vocabulary (`data/measure_terms.txt`) and the spans it finds."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import DataFileError

SECTIONS = ("instrument", "strong", "money", "giving", "recipient", "company", "qualification", "size", "stage", "merit")


def _default_path() -> Path:
    return Path(str(resources.files("rag") / "data" / "measure_terms.txt"))


@dataclass(frozen=True)
class Terms:
    """The measure vocabulary: section -> label -> words (longest first)."""

    table: dict[str, dict[str, tuple[str, ...]]]
    checksum: str

    @classmethod
    def load(cls, path: Path | None = None) -> "Terms":
        path = path or _default_path()
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: cannot read the measure vocabulary ({exc})") from exc
        table: dict[str, dict[str, tuple[str, ...]]] = {s: {} for s in SECTIONS}
        for n, line in enumerate(raw.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] in ("money", "company", "strong") and len(parts) == 2:
                parts.append(parts[1])
            if len(parts) != 3 or parts[0] not in SECTIONS or not parts[2].split():
                raise DataFileError(f"{path}:{n}: expected `section<TAB>label<TAB>words`, section one of "
                                    f"{', '.join(SECTIONS)}")
            table[parts[0]][parts[1]] = tuple(sorted(set(parts[2].split()), key=len, reverse=True))
        for section in ("money", "company", "strong"):
            base = "recipient" if section == "company" else "instrument"
            unknown = set(table[section]) - set(table[base])
            if unknown:
                raise DataFileError(f"{path}: `{section}` names labels that `{base}` lacks: {sorted(unknown)}")
        return cls(table, hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16])

    def spans(self, section: str, text: str, bounds: frozenset[int] | None = None) -> list["Span"]:
        """Non-overlapping hits of a section's words, longest first at each place, in text order. `bounds`: the
        text's word boundaries; a hit must start on one (`用地` is not in `农用地`, nor `券` in `证券`; `贴息` is in
        `贴息贷款`)."""
        hits = []
        for label, words in self.table[section].items():
            for word in words:
                for m in re.finditer(re.escape(word), text):
                    if bounds is None or m.start() in bounds:
                        hits.append(Span(label, m.group(0), m.start(), m.end()))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[Span] = []
        for h in hits:
            if out and h.start < out[-1].end:
                continue
            out.append(h)
        return out

    @property
    def money(self) -> set[str]:
        return set(self.table["money"])

    @property
    def company(self) -> set[str]:
        return set(self.table["company"])

    @property
    def qualifications(self) -> tuple[str, ...]:
        return tuple(self.table["qualification"])


@lru_cache(maxsize=1)
def default_terms() -> Terms:
    """The project's measure vocabulary (`data/measure_terms.txt`), read once per process (an index build reads
    its own copy with `Terms.load`, so that a bad file is the build's error)."""
    return Terms.load()


@dataclass(frozen=True)
class Span:
    label: str
    text: str
    start: int  # offsets in the sentence while extracting; in the clause once stored
    end: int

    def moved(self, by: int) -> "Span":
        return Span(self.label, self.text, self.start + by, self.end + by)
