"""Every write of the places register: places, their licences and risk assessments, the frequency table, the
bodies' plans, the inspections that name places, and the place-type routes. Keyword-only `actor`, one
transaction, one audit entry; bad input is a ValidationError in Chinese and saves nothing."""

# Where each part lives: register (places, licences, risk assessments), plans (the frequency table and the bodies'
# yearly plans), inspections (records naming places), routes (place-type routes of headless sectors), orders
# (责令限期整改通知书). The public names stay importable from here; each module imports the others by their own
# names, never this package, so no import goes round in a circle.
from .inspections import amend_inspection, record_inspection
from .orders import (
    LEGAL_BASIS_EXAMPLES,
    OrderData,
    issue_order,
    issuing_bodies,
    next_number,
    record_receipt,
    withdraw_order,
)
from .plans import PLAN_PERIODS, make_plan, set_frequency, set_plan_item, supervising_bodies
from .register import TEXT_FIELDS, PlaceData, assess_risk, close_place, register_place, update_place
from .routes import add_route, end_route

__all__ = [
    "LEGAL_BASIS_EXAMPLES",
    "PLAN_PERIODS",
    "TEXT_FIELDS",
    "OrderData",
    "PlaceData",
    "add_route",
    "amend_inspection",
    "assess_risk",
    "close_place",
    "end_route",
    "issue_order",
    "issuing_bodies",
    "make_plan",
    "next_number",
    "record_inspection",
    "record_receipt",
    "register_place",
    "set_frequency",
    "set_plan_item",
    "supervising_bodies",
    "update_place",
    "withdraw_order",
]
