"""The parser's one error for an upload it cannot read: its own module, so every reader of bytes may raise it."""

from __future__ import annotations


class SourceError(Exception):
    """An upload that cannot be read as a regulation; ``message`` is for the user, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
