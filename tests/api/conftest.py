"""The register fixture of tests/org, shared with the API and CLI tests; the authorisation tests' world."""

from tests.org.conftest import register  # noqa: F401
from tests.security.conftest import world  # noqa: F401
