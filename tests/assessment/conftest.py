"""The register of tests/org and the accident helper of tests/accidents, reused for the assessment."""

from __future__ import annotations

from tests.accidents.conftest import SH, make_data
from tests.org.conftest import TERM, Register, register  # noqa: F401 (fixtures)

__all__ = ["SH", "TERM", "Register", "make_data"]
