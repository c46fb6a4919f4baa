"""Every write of the places register: places, their licences and risk assessments, the frequency table, the
bodies' plans, the inspections that name places, and the place-type routes. Keyword-only `actor`, one
transaction, one audit entry; bad input is a ValidationError in Chinese and saves nothing."""

# Where each part lives: register (places, licences, risk assessments), plans (the frequency table and the bodies'
# yearly plans), inspections (records naming places), routes (place-type routes of headless sectors). The public
# names stay importable from here; each module imports the others by their own names, never this package, so no
# import goes round in a circle.
from .inspections import amend_inspection, record_inspection
from .plans import PLAN_PERIODS, make_plan, set_frequency, set_plan_item, supervising_bodies
from .register import TEXT_FIELDS, PlaceData, assess_risk, close_place, register_place, update_place
from .routes import add_route, end_route

__all__ = [
    "PLAN_PERIODS",
    "TEXT_FIELDS",
    "PlaceData",
    "add_route",
    "amend_inspection",
    "assess_risk",
    "close_place",
    "end_route",
    "make_plan",
    "record_inspection",
    "register_place",
    "set_frequency",
    "set_plan_item",
    "supervising_bodies",
    "update_place",
]
