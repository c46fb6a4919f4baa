"""Who must confirm what on a day: one `Slot` per (person, post[, letter, side]) with the exact text.

Holders are read from the register as it stands on the day (tenures, posts and units in force), so a change of
holder gives a new slot and the old holder's drops out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from yigang.org import selectors
from yigang.org.models import Post, Tenure, in_force
from yigang.regulations.choices import PostKind
from yigang.regulations.models import Article, Duty, Regulation, RegulationPost

from . import texts
from .models import Document, Side, TargetLetter, sha256_text


@dataclass(frozen=True)
class Slot:
    post: Post
    person_id: int
    title: str
    text: str
    regulation: Regulation | None = None
    letter: TargetLetter | None = None
    side: str = Side.HOLDER

    @property
    def key(self) -> tuple[int, int, int | None, str]:
        return (self.post.pk, self.person_id, self.letter.pk if self.letter else None, self.side)

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


def named_kinds(regulation: Regulation) -> set[str]:
    """The post kinds a regulation binds: the posts of Art. 3, the articles' posts and the duties' posts."""
    kinds = set(RegulationPost.objects.filter(regulation=regulation).values_list("kind", flat=True))
    kinds |= set(
        Article.objects.filter(regulation=regulation).exclude(post="").values_list("post", flat=True)
    )
    kinds |= set(Duty.objects.filter(regulation=regulation).exclude(post="").values_list("post", flat=True))
    return kinds & set(PostKind.values)


def holders(town: object, day: datetime.date, kinds: set[str]) -> list[Tenure]:
    """The tenures in force on `day` of posts (in force, of units in force) whose kind is in `kinds`."""
    return list(
        Tenure.objects.at(day)
        .filter(town=town, post__kind__in=kinds)
        .filter(in_force(day, "valid_from", "valid_until", prefix="post__"))
        .filter(in_force(day, "valid_from", "valid_until", prefix="post__unit__"))
        .select_related("post__unit", "person")
        .order_by("post__unit__name", "post__title", "start", "id")
    )


def regulation_slots(document: Document, day: datetime.date) -> list[Slot]:
    regulation = document.regulation
    assert regulation is not None
    text = texts.regulation_text(regulation)
    return [
        Slot(t.post, t.person_id, document.title, text, regulation=regulation)
        for t in holders(document.town, day, named_kinds(regulation))
    ]


def duty_list_slots(document: Document, regulation: Regulation, day: datetime.date) -> list[Slot]:
    cache: dict[tuple[str, str], tuple[str, str]] = {}
    slots = []
    for tenure in holders(document.town, day, named_kinds(regulation)):
        key = (tenure.post.kind, tenure.post.unit.name)
        if key not in cache:
            duty_list = texts.duty_list_for(regulation, *key)
            cache[key] = (duty_list.title, texts.duty_list_text(duty_list))
        title, text = cache[key]
        slots.append(Slot(tenure.post, tenure.person_id, title, text, regulation=regulation))
    return slots


def town_signatories(town: object, day: datetime.date) -> list[Tenure]:
    """Who may sign for 甲方, in order: the deputy in charge of safety (Art. 9.2), then the mayor."""
    return [t for kind in (PostKind.SAFETY_DEPUTY, PostKind.MAYOR) for t in holders(town, day, {kind})]


def town_signatory(town: object, day: datetime.date) -> Tenure | None:
    found = town_signatories(town, day)
    return found[0] if found else None


def letter_slots(document: Document, day: datetime.date) -> list[Slot]:
    letters = list(TargetLetter.objects.filter(document=document).select_related("post"))
    if not letters:
        return []
    held = selectors.holder_ids([letter.post_id for letter in letters], day)
    signatories = town_signatories(document.town, day)
    slots = []
    for letter in letters:
        title = f"{document.title}（{letter.party_b}）"
        party_b = held[letter.post_id]
        if party_b is not None:
            slots.append(Slot(letter.post, party_b, title, letter.text, letter=letter, side=Side.PARTY_B))
        # Nobody signs both sides: where 乙方 is the deputy themselves (e.g. they head the 安委办), the mayor signs.
        town_side = next((t for t in signatories if t.person_id != party_b), None)
        if town_side is not None:
            slots.append(
                Slot(town_side.post, town_side.person_id, title, letter.text, letter=letter, side=Side.TOWN)
            )
    return slots
