"""The normalised text twice over: as written, and a Simplified copy of the same length to match on.

Patterns run on ``simp`` (Traditional → Simplified with OpenCC ``t2s``, full-width digits and Latin
letters made ASCII); results are sliced out of ``text`` at the same offsets, so a Traditional source keeps
its characters. When ``t2s`` changes the length (rare phrase conversions), ``text`` becomes the converted
text and ``converted`` is set, so offsets still agree.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

from opencc import OpenCC

# Full-width digits and Latin letters → ASCII (one character each, so lengths hold).
_FULLWIDTH = {
    code: code - 0xFEE0
    for code in [
        *range(ord("０"), ord("９") + 1),
        *range(ord("Ａ"), ord("Ｚ") + 1),
        *range(ord("ａ"), ord("ｚ") + 1),
    ]
}


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional → Simplified with OpenCC; may change the length for a few phrases."""
    if text.isascii():
        return text
    return str(_t2s().convert(text))


@dataclass
class Doc:
    """A normalised text split into lines, with its matching copy."""

    text: str
    simp: str
    converted: bool = False
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, normalised: str) -> Doc:
        converted = simplify(normalised)
        changed = len(converted) != len(normalised)
        text = converted if changed else normalised
        doc = cls(text=text, simp=converted.translate(_FULLWIDTH), converted=changed)
        pos = 0
        for line in text.split("\n") if text else []:
            doc.starts.append(pos)
            doc.ends.append(pos + len(line))
            pos += len(line) + 1
        return doc

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, index: int) -> str:
        return self.text[self.starts[index] : self.ends[index]]

    def sline(self, index: int) -> str:
        return self.simp[self.starts[index] : self.ends[index]]

    def line_at(self, offset: int) -> int:
        """Index of the line holding ``offset``."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets from the start of line ``first`` to the end of line ``last`` (inclusive)."""
        return self.starts[first], self.ends[last]
