"""Test settings: the real settings with a throwaway secret and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-check-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test client speaks plain HTTP; production's HTTPS defaults are tested in subprocesses (test_web_hardening).
os.environ.setdefault("HTTPS", "0")

from yigang.settings import *  # noqa: F403

# Speed only; production keeps PBKDF2. The demo hasher stays last, as in production, to check the demo's accounts.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "yigang.towns.passwords.DemoPasswordHasher",
]
# Tests never run collectstatic: serve from the finders and do not expect var/static to exist.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
