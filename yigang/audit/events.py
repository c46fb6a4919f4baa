"""The audit trail's event codes in words: the auditor reads and filters by these, never by the raw code."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

LABELS = {
    "accidents.arrival": _("事故：确认到场"),
    "accidents.attachment.corrupt": _("事故：附件校验失败"),
    "accidents.change": _("事故：续报或更正"),
    "accidents.close": _("事故：结案"),
    "accidents.extend": _("事故：延长调查期限"),
    "accidents.finding": _("事故：瞒报谎报认定"),
    "accidents.investigation": _("事故：调查处理"),
    "accidents.report": _("事故：报告"),
    "accidents.verify_arrival": _("事故：核实到场"),
    "account.activate": _("账号：启用或停用"),
    "account.create": _("账号：创建"),
    "account.grant.confirm": _("账号：确认角色授予"),
    "account.grant.refuse": _("账号：拒绝角色授予"),
    "account.grant.request": _("账号：申请授予角色"),
    "account.membership.add": _("账号：授予角色"),
    "account.membership.remove": _("账号：撤销角色"),
    "account.membership.suspend": _("账号：暂停角色待确认"),
    "account.must_change_password": _("账号：要求修改密码"),
    "account.otp_enable": _("账号：启用双因素认证"),
    "account.otp_reset": _("账号：重置双因素认证"),
    "account.password_change": _("账号：修改密码"),
    "account.password_reset": _("账号：重置密码"),
    "account.person.link": _("账号：关联人员"),
    "account.person.unlink": _("账号：解除关联人员"),
    "account.unlock": _("账号：解除锁定"),
    "assessment.adjust": _("考核：加减分调整"),
    "assessment.adjustment.corrupt": _("考核：调整附件校验失败"),
    "assessment.file.admit_late": _("履职情况材料：采信事后补录记录"),
    "assessment.file.finding": _("履职情况材料：安委办意见（追责/免责建议）"),
    "assessment.file.issue": _("履职情况材料：出具（定稿）"),
    "assessment.not_applicable": _("考核：标注不适用"),
    "assessment.not_applicable_withdraw": _("考核：撤销不适用标注"),
    "assessment.open": _("考核：开启年度考核"),
    "assessment.publish": _("考核：发布结果"),
    "assessment.scheme": _("考核：设置考核方案"),
    "assessment.tie": _("考核：决定并列名次"),
    "audit.archive": _("审计：归档"),
    "audit.verify": _("审计：校验哈希链"),
    "auth.lockout": _("登录：账号锁定"),
    "auth.login": _("登录：成功"),
    "auth.login_failed": _("登录：失败"),
    "auth.logout": _("登录：退出"),
    "auth.otp_failed": _("登录：动态验证码错误"),
    "auth.otp_verified": _("登录：动态验证码通过"),
    "auth.permission_denied": _("越权访问被拒绝"),
    "calendar.enter": _("工作日历：录入放假安排"),
    "calendar.recount": _("工作日历：重算整改期限"),
    "duties.attachment.corrupt": _("履职：附件校验失败"),
    "duties.record.amend": _("履职：更正记录"),
    "duties.record.bulk_demo": _("履职：生成演示记录"),
    "duties.record.create": _("履职：录入记录"),
    "duties.record.import": _("履职：批量导入"),
    "duties.record_rules.set": _("履职：记录规则设置"),
    "duties.remind": _("履职：发送提醒"),
    "duties.reminder_policy.set": _("履职：提醒设置"),
    "duties.town_duty.add": _("履职：添加镇定要求"),
    "duties.town_duty.end": _("履职：结束镇定要求"),
    "export.county": _("导出：各乡镇对比"),
    "export.duty_file": _("导出：履职档案"),
    "export.duty_list": _("导出：责任清单"),
    "export.org_people": _("导出：人员名册"),
    "export.person_duty_list": _("导出：个人责任清单"),
    "export.signoff": _("导出：签收情况"),
    "export.signoff_letter": _("导出：目标责任书"),
    "hazards.close": _("隐患：验收销号"),
    "hazards.decide": _("隐患：安委办裁定"),
    "hazards.decline": _("隐患：退回"),
    "hazards.escalate": _("隐患：逾期升级"),
    "hazards.escalation_run": _("隐患：逾期升级检查"),
    "hazards.extension_ask": _("隐患：申请延期整改"),
    "hazards.extension_decide": _("隐患：审批延期整改"),
    "hazards.nudge": _("隐患：督办催办"),
    "hazards.photo.corrupt": _("隐患：照片校验失败"),
    "hazards.policy": _("隐患：升级设置"),
    "hazards.rectify": _("隐患：整改"),
    "hazards.report": _("隐患：上报"),
    "hazards.send_back": _("隐患：验收不通过"),
    "hazards.submit": _("隐患：提交验收"),
    "notify.read": _("通知：已读"),
    "notify.read_all": _("通知：全部已读"),
    "notify.robot.active": _("通知：启用或停用群机器人"),
    "notify.robot.add": _("通知：添加群机器人"),
    "notify.robot.remove": _("通知：移除群机器人"),
    "notify.robot.test": _("通知：测试群机器人"),
    "org.import": _("名册：批量导入"),
    "org.person.add": _("名册：添加人员"),
    "org.person.link_account": _("名册：人员关联账号"),
    "org.portfolio.assign": _("名册：分管部门"),
    "org.portfolio.end": _("名册：结束分管"),
    "org.post.add": _("名册：添加岗位"),
    "org.sector.add": _("名册：添加行业领域"),
    "org.sector.rename": _("名册：行业领域改名"),
    "org.sector.words": _("名册：行业领域关键词"),
    "org.sectors.sync": _("名册：按制度同步行业领域"),
    "org.supervision.add": _("名册：指定监管部门"),
    "org.supervision.end": _("名册：结束监管"),
    "org.tenure.appoint": _("名册：任职"),
    "org.tenure.end": _("名册：离任"),
    "org.unit.add": _("名册：添加单位"),
    "org.unit.reorganise": _("名册：机构调整"),
    "region.add": _("行政区域：添加"),
    "region.place": _("行政区域：调整上级"),
    "regulation.activate": _("制度：启用"),
    "regulation.discard": _("制度：废弃草稿"),
    "regulation.duty.add": _("制度：添加职责"),
    "regulation.duty.correct": _("制度：更正职责"),
    "regulation.duty.remove": _("制度：删除草稿职责"),
    "regulation.import": _("制度：导入"),
    "regulation.model.mark": _("本级制度：标为示范条款"),
    "regulation.model.post_mapping": _("本级制度：修改岗位对应"),
    "regulation.model.unmark": _("本级制度：取消示范条款"),
    "regulation.supersede": _("制度：被新版本取代"),
    "settings.audit_disclosure": _("设置：审计员可见业务内容"),
    "signoff.confirm": _("签收：本人确认"),
    "signoff.distribute": _("签收：下发"),
    "signoff.paper": _("签收：录入纸质签字"),
    "signoff.policy": _("签收：提醒设置"),
    "signoff.remind": _("签收：发送提醒"),
    "signoff.nudge": _("签收：提醒未签收人员"),
    "signoff.scan": _("签收：上传纸质件扫描"),
    "signoff.scan.corrupt": _("签收：扫描件校验失败"),
    "signoff.target_issue": _("签收：印发目标责任书"),
    "signoff.target_item_add": _("签收：添加目标条目"),
    "signoff.target_item_remove": _("签收：移除目标条目"),
    "signoff.target_template": _("签收：修改目标模板"),
    "places.place.register": _("监管对象：登记场所"),
    "places.place.update": _("监管对象：修改场所"),
    "places.place.close": _("监管对象：注销场所"),
    "places.risk.assess": _("监管对象：风险评估"),
    "places.frequency.set": _("监管对象：修改检查频次"),
    "places.plan.set": _("监管对象：调整检查计划"),
    "places.plan.make": _("监管对象：生成检查计划"),
    "places.inspection": _("监管对象：检查记录关联场所"),
    "places.route.add": _("监管对象：新增按场所类型分工"),
    "places.route.end": _("监管对象：终止按场所类型分工"),
    "places.import": _("监管对象：批量导入"),
    "places.order.issue": _("监管对象：下达责令限期整改通知书"),
    "places.order.receipt": _("监管对象：登记整改通知书签收"),
    "places.order.withdraw": _("监管对象：撤销责令限期整改通知书"),
    "export.places": _("导出：监管对象台账"),
    "system.backup": _("系统：备份"),
    "system.migration": _("系统：升级迁移更正记录"),
    "system.restore": _("系统：恢复"),
}

GROUPS = {
    "accidents": _("事故"),
    "account": _("账号"),
    "assessment": _("考核"),
    "audit": _("审计"),
    "auth": _("登录"),
    "duties": _("履职"),
    "export": _("导出"),
    "hazards": _("隐患"),
    "notify": _("通知"),
    "org": _("名册"),
    "places": _("监管对象"),
    "regulation": _("制度"),
    "region": _("行政区域"),
    "settings": _("设置"),
    "signoff": _("签收"),
    "system": _("系统"),
}


def label(event: str) -> str:
    """The event in words; an event without a label (added later, or an altered entry) reads as its area's
    "其他操作" followed by its code, so that different unlabelled events stay told apart."""
    if event in LABELS:
        return str(LABELS[event])
    group = GROUPS.get(event.split(".", 1)[0])
    words = f"{group}：{_('其他操作')}" if group else str(_("其他操作"))
    return f"{words}（{event}）"


def choices() -> list[tuple[str, str]]:
    return sorted(((code, str(text)) for code, text in LABELS.items()), key=lambda c: c[1])


# The actor of an entry written by the system itself (the demo loader, a command, a periodic run): stored as
# "system" in the chained entry, read in words.
SYSTEM_USERNAME = "system"


def who(username: str) -> str:
    return str(_("系统")) if username == SYSTEM_USERNAME else username


def _model(object_type: str) -> Any:
    from django.apps import apps

    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_label(object_type: str) -> str:
    """The kind of object in words (履职记录), from the model's own name; an unknown one keeps its code."""
    model = _model(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


def field_label(object_type: str, key: str) -> str:
    """A changed field in words: the model field's own name when the object has that field, else the key."""
    for kind in (object_type, ALSO.get(object_type, "")):
        model = _model(kind) if kind else None
        if model is None:
            continue
        try:
            name = getattr(model._meta.get_field(key), "verbose_name", None)
        except FieldDoesNotExist:
            continue
        # A reverse relation has no name, and a field nobody named is called by its code: the key's words below.
        if name and str(name) != key.replace("_", " "):
            return str(name)
    return str(CHANGE_KEYS.get(key, key))


# Keys of `changes` that are not a field of the object (what an action records about itself).
CHANGE_KEYS = {
    "reason": _("理由"),
    "photos": _("照片"),
    "owner": _("责任单位"),
    "year": _("年度"),
    "scheme": _("方案"),
    "rules": _("考核规则"),
    "subject": _("对象"),
    "points": _("调整分值"),
    "sha256": _("校验值"),
    "checked": _("校验条数"),
    "first_bad_id": _("首条不符的编号"),
    "posts": _("岗位"),
    "post": _("岗位"),
    "led": _("主持或组织的岗位"),
    "attachments": _("附件"),
    "before": _("修改前"),
    "after": _("修改后"),
    "from": _("原"),
    "to": _("改为"),
    "note": _("说明"),
    "plan": _("治理方案"),
    "level": _("督办级别"),
    "told": _("通知对象"),
    "format": _("格式"),
    "lists": _("清单"),
    "at": _("时间"),
    "date": _("日期"),
    "method": _("方式"),
    "user_agent": _("浏览器"),
    "document": _("文件"),
    "full_name": _("姓名"),
    "must_change": _("须修改密码"),
    "person": _("人员"),
    "person_id": _("人员"),
    "role": _("角色"),
    "source": _("来源"),
    "town": _("乡镇"),
    "county": _("旗县"),
    "unit": _("单位"),
    "units": _("单位"),
    "fields": _("字段"),
    "tasks": _("到场任务"),
    "version": _("版本"),
    "supplement": _("补报"),
    "past_window": _("超出补报期限"),
    "late_by": _("迟报时长"),
    "made_at": _("填报时间"),
    "articles": _("条款"),
    "duties": _("职责"),
    "filename": _("文件名"),
    "sectors": _("行业领域"),
    "supervisions": _("监管关系"),
    "supervision": _("监管关系"),
    "letters": _("目标责任书"),
    "enterprises": _("生产经营单位"),
    "memberships": _("账号角色"),
    "portfolios": _("分管"),
    "tenures": _("任职"),
    "changed": _("变更"),
    "opened": _("开始"),
    "ended": _("结束"),
    "snapshot": _("快照"),
}
# An object whose action records the fields of another model (an accident's report is its own model).
ALSO = {"accidents.Accident": "accidents.Report"}
