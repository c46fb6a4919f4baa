"""责令限期整改通知书: issued by a body that supervises the place, received (签收) later, withdrawn (撤销) when wrong.

An issued order is never edited or deleted. Its 文号 is numbered per body and year — the town's name, the year
in 〔〕, the body's 机关代字 and 责改, the serial, 号 — and is unique in the town for the year.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from yigang.audit.log import record
from yigang.org.models import Unit

from ..models import Place, PlaceRoute, RectificationOrder
from .plans import supervising_bodies

# The 法律依据 most such notices cite: the citation (what the field holds) and the article's words (what the form
# shows beside it), each checked against published texts of the 安全生产法 as revised in 2021 (in force 1 September
# 2021). Offered only: the body writes the basis that fits (a sector's own law, a provincial regulation) and
# answers for it.
LEGAL_BASIS_EXAMPLES = (
    (
        "《中华人民共和国安全生产法》第四十一条第二款",
        "生产经营单位应当建立健全并落实生产安全事故隐患排查治理制度，采取技术、管理措施，及时发现并消除事故隐患。",
    ),
    (
        "《中华人民共和国安全生产法》第六十五条第一款第（三）项",
        "对检查中发现的事故隐患，应当责令立即排除；重大事故隐患排除前或者排除过程中无法保证安全的，应当责令从危险"
        "区域内撤出作业人员，责令暂时停产停业或者停止使用相关设施、设备。",
    ),
    (
        "《中华人民共和国安全生产法》第一百零二条",
        "生产经营单位未采取措施消除事故隐患的，责令立即消除或者限期消除，处五万元以下的罚款；生产经营单位拒不执行的，"
        "责令停产停业整顿……",
    ),
)

MAX_ITEMS = 30


@dataclass
class OrderData:
    """An order as the form or the API hands it over."""

    unit: Unit | None
    deadline: datetime.date | None
    finding: str
    items: Sequence[str]
    legal_basis: str
    found_on: datetime.date | None = None
    found_at: str = ""
    issued_on: datetime.date | None = None  # empty: today
    word: str = ""  # 机关代字; empty: the body's last one, else from its name
    hazard: Any = None
    replaces: RectificationOrder | None = None
    lines: list[str] = field(default_factory=list)


def issuing_bodies(place: Place, day: datetime.date) -> list[Unit]:
    """The bodies that may issue an order to the place on `day`: those that supervised one of its sectors that
    day, and those the town's table routes the place's type to (a sector no body heads, 九小场所 → 派出所)."""
    bodies = {u.pk: u for u in supervising_bodies(place, day, day)}
    routed = (
        PlaceRoute.objects.filter(town_id=place.town_id, sector__in=place.sectors.all())
        .filter(Q(kind="") | Q(kind=place.kind))
        .at(day)
        .select_related("unit")
    )
    for route in routed:
        bodies.setdefault(route.unit_id, route.unit)
    return sorted(bodies.values(), key=lambda u: u.name)


def default_word(unit: Unit) -> str:
    """The body's 机关代字: the one it used last, else the first two characters of its name without the town's."""
    last = RectificationOrder.objects.filter(unit=unit).order_by("-issued_at", "-id").first()
    if last is not None:
        return last.word
    name = unit.name.removeprefix(unit.town.name).removeprefix("镇")
    return name[:2] or "安监"


def number_of(town_name: str, year: int, word: str, serial: int) -> str:
    return f"{town_name}〔{year}〕{word}责改{serial}号"


def next_number(unit: Unit, year: int, word: str = "") -> tuple[int, str]:
    """The serial and 文号 the body's next order of `year` takes."""
    last = RectificationOrder.objects.filter(unit=unit, year=year).aggregate(n=Max("serial"))["n"] or 0
    return last + 1, number_of(unit.town.name, year, word or default_word(unit), last + 1)


def _organ(unit: Unit) -> str:
    town = unit.town.name
    return unit.name if unit.name.startswith(town) else f"{town}{unit.name}"


def _squash(value: str) -> str:
    return " ".join((value or "").split())


def _clean(place: Place, data: OrderData) -> list[str]:
    """Check the order field by field; the cleaned text is put back on `data`. Returns the errors."""
    errors: list[str] = []
    today = timezone.localdate()
    data.issued_on = data.issued_on or today
    if data.issued_on > today:
        errors.append("下达日期不能晚于今天。")
    elif data.issued_on.year < 2000:
        errors.append("下达日期无效。")
    if place.closed is not None and place.closed < data.issued_on:
        errors.append(f"“{place}”已于{place.closed}注销，不能再下达整改通知。")
    errors += _body_errors(place, data.unit, data.issued_on)
    if data.deadline is None:
        errors.append("请填写整改期限。")
    elif data.deadline <= data.issued_on:
        errors.append("整改期限须晚于下达日期。")
    data.finding = (data.finding or "").strip()
    if not data.finding:
        errors.append("请填写检查发现的问题（隐患）。")
    elif len(data.finding) > 2000:
        errors.append("发现的问题不能超过 2000 个字。")
    data.lines = [_squash(i) for i in data.items if _squash(i)]
    if not data.lines:
        errors.append("请至少填写一项整改要求。")
    elif len(data.lines) > MAX_ITEMS or any(len(i) > 500 for i in data.lines):
        errors.append(f"整改要求至多 {MAX_ITEMS} 项，每项不超过 500 个字。")
    data.legal_basis = (data.legal_basis or "").strip()
    if not data.legal_basis:
        errors.append("请填写法律依据（如《中华人民共和国安全生产法》的有关条款）。")
    elif len(data.legal_basis) > 1000:
        errors.append("法律依据不能超过 1000 个字。")
    data.found_on = data.found_on or data.issued_on
    if data.found_on > data.issued_on:
        errors.append("检查日期不能晚于下达日期。")
    data.found_at = _squash(data.found_at) or place.address or place.name
    if len(data.found_at) > 200:
        errors.append("检查地点不能超过 200 个字。")
    data.word = _squash(data.word).replace(" ", "")
    if data.word and (len(data.word) > 20 or any(c in data.word for c in "〔〕[]号")):
        errors.append("机关代字不超过 20 个字，且不含〔〕和“号”。")
    errors += _hazard_errors(place, data.hazard)
    errors += _replaces_errors(place, data.replaces)
    return errors


def _body_errors(place: Place, unit: Unit | None, day: datetime.date) -> list[str]:
    if unit is None:
        return ["请选择下达通知书的监管单位。"]
    if unit.town_id != place.town_id:
        return ["下达单位不属于本乡镇。"]
    bodies = issuing_bodies(place, day)
    if unit not in bodies:
        others = "、".join(b.name for b in bodies) or "无监管单位（请先在名册中明确监管单位或按场所类型分工）"
        return [f"“{place}”所属行业领域由{others}监管，“{unit}”不能向其下达整改通知书。"]
    return []


def _hazard_errors(place: Place, hazard: Any) -> list[str]:
    if hazard is None:
        return []
    if hazard.town_id != place.town_id or place.unit_id is None or hazard.enterprise_id != place.unit_id:
        return [f"隐患{hazard.number}不是“{place}”的隐患。"]
    return []


def _replaces_errors(place: Place, replaced: RectificationOrder | None) -> list[str]:
    if replaced is None:
        return []
    if replaced.place_id != place.pk:
        return [f"通知书{replaced.number}不是下达给“{place}”的。"]
    if replaced.withdrawn_at is None:
        return [f"通知书{replaced.number}尚未撤销：请先撤销再重新下达。"]
    if RectificationOrder.objects.filter(replaces=replaced).exists():
        return [f"通知书{replaced.number}已由另一份通知书替代。"]
    return []


def issue_order(*, place: Place, data: OrderData, actor: Any) -> RectificationOrder:
    """Issue a 责令限期整改通知书 to the place, numbered for the body and year, and tell the enterprise's
    accounts in the app. Who may issue (the 安委办, the body's staff) is the caller's check (`may_issue`)."""
    errors = _clean(place, data)
    if errors:
        raise ValidationError(errors)
    assert data.unit is not None and data.issued_on is not None and data.deadline is not None
    word = data.word or default_word(data.unit)
    for attempt in range(3):
        serial, number = next_number(data.unit, data.issued_on.year, word)
        taken = RectificationOrder.objects.filter(town=place.town, year=data.issued_on.year, number=number)
        other = taken.select_related("unit").first()
        if other is not None:
            raise ValidationError(f"文号“{number}”已由“{other.unit}”使用：请改用本单位自己的机关代字。")
        try:
            with transaction.atomic():
                order = _create(place, data, word, serial, number, actor)
            break
        except IntegrityError:
            if attempt == 2:  # another order took the serial a moment ago, three times running
                raise
    from ..notices import order_issued

    order_issued(order)
    return order


def _create(
    place: Place, data: OrderData, word: str, serial: int, number: str, actor: Any
) -> RectificationOrder:
    assert data.unit is not None and data.issued_on is not None and data.deadline is not None
    assert data.found_on is not None
    order = RectificationOrder.objects.create(
        town=place.town,
        place=place,
        hazard=data.hazard,
        unit=data.unit,
        organ=_organ(data.unit),
        year=data.issued_on.year,
        word=word,
        serial=serial,
        number=number,
        issued_on=data.issued_on,
        deadline=data.deadline,
        addressee=place.name,
        legal_representative=place.legal_representative,
        found_on=data.found_on,
        found_at=data.found_at,
        finding=data.finding,
        items=data.lines,
        legal_basis=data.legal_basis,
        replaces=data.replaces,
        issued_by=_user(actor),
    )
    record(
        "places.order.issue",
        actor=actor,
        obj=order,
        changes={
            "number": number,
            "place": place.pk,
            "unit": data.unit.pk,
            "hazard": data.hazard.pk if data.hazard is not None else None,
            "issued_on": data.issued_on.isoformat(),
            "deadline": data.deadline.isoformat(),
            "items": data.lines,
            "legal_basis": data.legal_basis,
            "replaces": data.replaces.number if data.replaces is not None else None,
        },
    )
    return order


def record_receipt(
    *, order: RectificationOrder, received_by: str, received_on: datetime.date | None, actor: Any
) -> RectificationOrder:
    """The 签收: who at the place received the order, on what day (recorded by the body, once)."""
    received_by = _squash(received_by)
    errors = []
    if order.withdrawn_at is not None:
        errors.append(f"通知书{order.number}已撤销，不能登记签收。")
    if order.received_on is not None:
        errors.append(f"通知书{order.number}已于{order.received_on}由{order.received_by}签收。")
    if not received_by:
        errors.append("请填写签收人姓名。")
    elif len(received_by) > 50:
        errors.append("签收人姓名不能超过 50 个字。")
    if received_on is None:
        errors.append("请填写签收日期。")
    elif received_on < order.issued_on:
        errors.append("签收日期不能早于下达日期。")
    elif received_on > timezone.localdate():
        errors.append("签收日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order.received_by, order.received_on = received_by, received_on
        order.receipt_by, order.receipt_at = _user(actor), timezone.now()
        order.save(update_fields=["received_by", "received_on", "receipt_by", "receipt_at"])
        record(
            "places.order.receipt",
            actor=actor,
            obj=order,
            changes={"received_by": received_by, "received_on": str(received_on)},
        )
    return order


def withdraw_order(*, order: RectificationOrder, reason: str, actor: Any) -> RectificationOrder:
    """撤销 a wrong order, with the reason; it stays on record (a new one may replace it)."""
    reason = _squash(reason)
    errors = []
    if order.withdrawn_at is not None:
        errors.append(f"通知书{order.number}已撤销。")
    if not reason:
        errors.append("请填写撤销原因。")
    elif len(reason) > 200:
        errors.append("撤销原因不能超过 200 个字。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order.withdrawn_at, order.withdrawn_by, order.withdrawn_reason = timezone.now(), _user(actor), reason
        order.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        record("places.order.withdraw", actor=actor, obj=order, changes={"reason": reason})
    return order


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
