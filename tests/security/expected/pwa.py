"""The web app manifest and the service worker (yigang/pwa): public, like the static files they point to —
a phone fetches them before anyone logs in, and they hold no town's data."""

from __future__ import annotations

from . import Expect, outcomes

PAGES = {
    "pwa:manifest": Expect(outcomes(200, enterprise=200)),
    "pwa:service_worker": Expect(outcomes(200, enterprise=200)),
}
