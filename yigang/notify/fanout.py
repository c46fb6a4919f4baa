"""Telling people and the town's robots: each person in the app and by e-mail, each active robot of the town in
its group — the one loop the duty and sign-off reminders and the hazard and accident notices share.

What is said is a `Notice`: a subject, a text, a link (in the app only) and a key per channel and recipient, so
`yigang.notify.dispatch` sends each at most once however often a run repeats. The keys stay those the callers
always made (`<what>|<channel>|to:<recipient>`, the accidents' with `channel:` before the channel).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from yigang.audit.log import record as audit

from . import dispatch
from .models import Robot

IN_APP = "in_app"
EMAIL = "email"


class Notice(Protocol):
    """One thing to tell; `key` names it for one channel and one recipient."""

    @property
    def subject(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def url(self) -> str: ...

    def key(self, channel: str, recipient: str) -> str: ...


@dataclass(frozen=True)
class Note:
    """A notice about one thing (a hazard's step, an accident's grade) told alike to everyone."""

    about: str  # what the keys start with, e.g. "hazard:12|routed:3"
    subject: str
    text: str
    url: str = ""
    channel_label: str = ""  # written before the channel in the key ("channel:" for accidents)

    def key(self, channel: str, recipient: str) -> str:
        return f"{self.about}|{self.channel_label}{channel}|to:{recipient}"


def fan_out(
    town: Any,
    inbox: Mapping[Any, Sequence[Notice]],
    *,
    email_subject: str,
    robot_header: str | None = None,
    robot_notices: Sequence[Notice] = (),
) -> dispatch.Outcome:
    """Each user's notices in the app and in one e-mail (`email_subject`); then, with a `robot_header`, the
    `robot_notices` to every active robot of the town (without one, the robots are not even looked up)."""
    outcome = dispatch.Outcome()
    for user, mine in inbox.items():
        name = user.get_username()
        outcome.add(
            dispatch.in_app(
                town=town,
                user=user,
                messages=[dispatch.Message(n.key(IN_APP, name), n.subject, n.text, n.url) for n in mine],
            )
        )
        address = user.email or "-"
        outcome.add(
            dispatch.email(
                town=town,
                user=user,
                subject=email_subject,
                messages=[dispatch.Message(n.key(EMAIL, address), n.subject, n.text) for n in mine],
            )
        )
    if robot_header is not None:
        for robot in Robot.objects.filter(town=town, active=True):
            outcome.add(
                dispatch.robot(
                    robot=robot,
                    header=robot_header,
                    messages=[
                        dispatch.Message(n.key(robot.kind, str(robot.pk)), n.subject, n.text)
                        for n in robot_notices
                    ],
                )
            )
    return outcome


def tell(
    town: Any, users: Iterable[Any], note: Notice, *, robot_header: str | None = None
) -> dispatch.Outcome:
    """One notice to these people (each once, in the order given), e-mailed under its own subject, and — with a
    `robot_header` — to the town's robots."""
    return fan_out(
        town,
        {user: [note] for user in dict.fromkeys(users)},
        email_subject=note.subject,
        robot_header=robot_header,
        robot_notices=[note],
    )


def record_run(event: str, *, town: Any, actor: Any, today: Any, outcome: dispatch.Outcome) -> None:
    """One audit entry for a reminder run that sent or failed anything (a quiet run leaves no entry)."""
    if outcome.sent or outcome.failed:
        audit(
            event,
            actor=actor,
            town=town,
            success=outcome.failed == 0,
            changes={
                "date": today,
                "sent": outcome.sent,
                "failed": outcome.failed,
                "errors": outcome.errors[:20],
            },
        )
