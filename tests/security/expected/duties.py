"""Duty pages (yigang/duties/urls.py), with the bell and the group robots of yigang/notify mounted under
duties:notify:.

Duty records are performance data, not reference data: the officer, leaders and county viewers read the whole
town; body and village staff read the records crediting a post of their unit or village (or one their own person
held), and of compliance (overview, heatmap, people, a person's year and duty file) only those posts' rows. In
the world the record and its holder are the body's: the village staff get 404 for them and lists without them,
and neither gets the leader's rows. Officers, leaders, body and village staff enter records, but only for the
posts they may credit (yigang/duties/access.py): the officer any post; the others the
posts their own person held on the day and the posts of their unit. A writer who names a post that is not theirs
(another unit's: the form does not offer it, so only a crafted request names it) gets an audited 403 and nothing
is saved, on the form, in the import and in the API alike; a reader who may not write at all (the county viewer)
gets an audited 403. A record may be amended only by someone who could have entered it: anyone else gets an
audited 403. Reminder settings, robots and the delivery log are the officer's. Notifications are the
addressee's alone: anyone else gets 404 for one, even the officer.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from . import LOGIN, NARROW, Expect, object_read, object_write, outcomes, town_read, town_write
from ._files import xlsx


def _record(w: Any) -> dict[str, int]:
    return {"pk": w.record.pk}


def _person_year(w: Any) -> dict[str, int]:
    return {"pk": w.person.pk, "year": 2025}


def _robot(w: Any) -> dict[str, int]:
    return {"pk": w.robot.pk}


def _new_record(w: Any) -> dict[str, Any]:
    """A meeting crediting the leader's own post: the officer and the leader may enter it."""
    return {
        "kind": "meeting",
        "date": "2025-03-20",
        "time": "09:00",
        "title": "分管领域安全生产例会",
        "place": "镇政府三楼会议室",
        "posts": [w.leader_post.pk],
        "summary": "部署春季安全检查。",
        "attachments": SimpleUploadedFile(
            "会议纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        ),
    }


def _amendment(w: Any) -> dict[str, Any]:
    """A correction of the standing record, which credits the body's post: the officer's and the body's."""
    return {
        "kind": "inspection",
        "date": "2025-03-19",
        "time": "09:30",
        "title": "春季安全生产联合检查",
        "place": "乌审召嘎查加油站",
        "posts": [w.body_post.pk],
        "summary": "检查加油站消防器材和应急预案。",
        "reason": "日期记错：实际为 3 月 19 日",
    }


def _records_sheet(w: Any) -> dict[str, Any]:
    """One row crediting the village's post: the officer and the village staff may import it."""
    header = ["履职日期", "时间", "履职方式", "主题", "地点", "认定岗位", "参加人员", "内容摘要"]
    row = [
        "2025-04-02",
        "14:00",
        "培训宣传",
        "安全培训",
        "嘎查活动室",
        w.village_post.title,
        "",
        "宣讲安全知识",
    ]
    return {"file": xlsx("records.xlsx", header, row, sheet="履职记录")}


def _settings(w: Any) -> dict[str, int]:
    return {
        "week_days": 1,
        "two_weeks_days": 3,
        "ten_days_days": 3,
        "half_month_days": 4,
        "month_days": 5,
        "two_months_days": 10,
        "quarter_days": 10,
        "half_year_days": 20,
        "year_days": 20,
    }


def _town_duty(w: Any) -> dict[str, Any]:
    return {
        "post": w.village_post.pk,
        "kind": "inspection",
        "period": "month",
        "min_count": 1,
        "text": "每月至少对本嘎查开展1次安全生产检查",
        "valid_from": "2025-01-01",
    }


def _town_duty_pk(w: Any) -> dict[str, int]:
    return {"pk": w.town_duty.pk}


def _last_day(w: Any) -> dict[str, str]:
    return {"last_day": "2025-12-31"}


def _rules(w: Any) -> dict[str, Any]:
    return {"late_after_days": 10, "req_meeting": ["attachment"], "req_inspection": ["photo_or_findings"]}


# Enter a record: a writer naming a post of the town that is not theirs is refused (403, audited); another town's
# officer gets the form back (200: this town's posts are not in their town at all); the county viewer may not write.
_writers_own = {"county_viewer": 403, "other_officer": 200}
_own_page = outcomes(200, anonymous=LOGIN, enterprise=200)  # the enterprise's account hears the notices too

PAGES = {
    "duties:overview": Expect(town_read(), narrowed=NARROW),
    "duties:heatmap": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "duties:records": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "duties:record_new": Expect(
        town_write(leader=302, body_staff=403, village_staff=403, **_writers_own),
        method="POST",
        data=_new_record,
    ),
    "duties:import": Expect(
        town_write(village_staff=302, leader=403, body_staff=403, **_writers_own),
        method="POST",
        data=_records_sheet,
    ),
    "duties:import_template": Expect(
        town_write(200, leader=200, body_staff=200, village_staff=200),
        note="for those who may enter records",
    ),
    "duties:record": Expect(object_read(village_staff=404), kwargs=_record, note="the body's record"),
    "duties:record_amend": Expect(
        object_write(body_staff=302, village_staff=404),
        method="POST",
        kwargs=_record,
        data=_amendment,
        note="the leader may see the record but not change it: it credits no post of theirs; the village staff "
        "do not even see it",
    ),
    "duties:attachment": Expect(
        object_read(village_staff=404, auditor=200),
        kwargs=lambda w: {"pk": w.attachment.pk},
        note="the audit administrator checks evidence files against their SHA-256 (issue 26.3)",
    ),
    "duties:people": Expect(town_read(), data=lambda w: {"year": 2025}, narrowed=NARROW),
    "duties:person_year": Expect(
        object_read(village_staff=404), kwargs=_person_year, note="the body's holder"
    ),
    "duties:person_year_docx": Expect(object_read(village_staff=404), kwargs=_person_year),
    "duties:person_year_xlsx": Expect(object_read(village_staff=404), kwargs=_person_year),
    "duties:settings": Expect(town_write(), method="POST", data=_settings),
    # The town's record rules (补录 days, what each kind must carry): the officer's, like the reminders.
    "duties:rules": Expect(town_write(), method="POST", data=_rules),
    # The town's own frequency duties: the officer adds them to any post and ends them on a date.
    # Another town's officer names a post that is not among their town's choices: the form comes back (200).
    "duties:town_duties": Expect(town_write(other_officer=200), method="POST", data=_town_duty),
    "duties:town_duty_end": Expect(object_write(), method="POST", kwargs=_town_duty_pk, data=_last_day),
    # yigang/notify, mounted at duties/notifications/
    "duties:notify:list": Expect(_own_page, note="the user's own bell"),
    "duties:notify:badge": Expect(_own_page),
    "duties:notify:read": Expect(
        outcomes(404, leader=302, anonymous=LOGIN, enterprise=404),
        method="POST",
        kwargs=lambda w: {"pk": w.notification.pk},
        note="only the addressee; it follows the notification's link",
    ),
    "duties:notify:read_all": Expect(outcomes(302, anonymous=LOGIN, enterprise=302), method="POST"),
    "duties:notify:robots": Expect(
        town_write(),
        method="POST",
        data=lambda w: {
            "name": "值班群",
            "kind": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=T",
            "secret": "SECabc",
        },
    ),
    "duties:notify:robot_active": Expect(object_write(), method="POST", kwargs=_robot),
    "duties:notify:robot_test": Expect(
        object_write(), method="POST", kwargs=_robot, note="the robot's port is closed: a logged failure"
    ),
    "duties:notify:robot_remove": Expect(object_write(), method="POST", kwargs=_robot),
    "duties:notify:deliveries": Expect(town_write(200)),
}
