"""The duty fixtures (seed, posts, holders, records) reused for the home pages and the county view."""

from tests.duties.conftest import _media, appoint, posts, rec, seed  # noqa: F401
from tests.org.conftest import register  # noqa: F401 (the register of people and posts, for the raw-code pages)
