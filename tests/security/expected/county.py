"""The county view (yigang/overview/county_urls.py): towns side by side, read-only.

Readers of whole towns (officer, leader, county viewer) compare the towns they read; another town's officer sees
their own. Body and village staff read only part of a town, so the comparison is not theirs (404, as any page
out of scope); users without a town get 404.
"""

from __future__ import annotations

from . import LOGIN, Expect, outcomes

_whole = {
    "officer": 200,
    "leader": 200,
    "county_viewer": 200,
    "body_staff": 404,
    "village_staff": 404,
    "sysadmin": 404,
    "auditor": 404,
    "other_sysadmin": 404,
    "nobody": 404,
    "anonymous": LOGIN,
}

PAGES = {
    "county:towns": Expect(outcomes(**_whole, other_officer=200), note="another officer sees their own town"),
    "county:towns_xlsx": Expect(outcomes(**_whole, other_officer=200)),
    "county:town": Expect(
        outcomes(**_whole, other_officer=404), kwargs=lambda w: {"pk": w.town.pk}, note="read-only drill-down"
    ),
}
