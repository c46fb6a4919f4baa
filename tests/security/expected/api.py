"""The JSON API (yigang/api/): its documentation routes, regulations and the register (duty records and
notifications: api_duties.py)."""

from __future__ import annotations

from . import LOGIN, Expect, api_object_read, api_read, outcomes

PAGES = {
    "api:openapi-json": Expect(
        outcomes(200, anonymous=LOGIN), note="the schema maps every operation: it needs a login too"
    ),
    "api:openapi-view": Expect(outcomes(200, anonymous=LOGIN)),
    "api:api-root": Expect(outcomes(404), note="ninja's catch-all root: nothing there"),
}

OPERATIONS = {
    "yigang_api_regulations_list_regulations": Expect(api_read()),
    "yigang_api_regulations_get_regulation": Expect(
        api_object_read(), kwargs=lambda w: {"regulation_id": w.regulation.pk}
    ),
    "yigang_api_org_list_sectors": Expect(api_read()),
    "yigang_api_org_town_lint": Expect(api_object_read(), kwargs=lambda w: {"town_code": w.town.code}),
    "yigang_api_org_chain": Expect(
        api_object_read(),
        kwargs=lambda w: {"town_code": w.town.code},
        data=lambda w: {"sector": w.sector.name},
    ),
    "yigang_api_org_list_people": Expect(api_object_read(), kwargs=lambda w: {"town_code": w.town.code}),
    "yigang_api_org_person_detail": Expect(api_object_read(), kwargs=lambda w: {"person_id": w.person.pk}),
    "yigang_api_org_list_units": Expect(api_object_read(), kwargs=lambda w: {"town_code": w.town.code}),
    "yigang_api_org_unit_detail": Expect(api_object_read(), kwargs=lambda w: {"unit_id": w.body.pk}),
}
