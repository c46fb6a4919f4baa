"""The register fixture of tests/org, shared with the API and CLI tests."""

from tests.org.conftest import register  # noqa: F401
