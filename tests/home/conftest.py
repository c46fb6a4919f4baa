"""The duty fixtures (seed, posts, holders, records) reused for the home pages and the county view."""

from tests.duties.conftest import _media, appoint, posts, rec, seed  # noqa: F401
