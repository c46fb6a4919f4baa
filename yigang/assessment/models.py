"""The year's assessment scheme (考核方案), its rounds (考核) and the officer's documented manual adjustments.

A scheme is edited by the 安委办 until a round uses it; then it is frozen (a correction is a new scheme for
the year, never an edit). A round is computed on the fly until it is published; publishing stores the results
and their workings as JSON (`snapshot`) and later records never change what was published. An adjustment is
never edited or deleted: a correction is a further adjustment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yigang.evidence.models import StoredFile
from yigang.towns.models import TownScopedQuerySet


class Scheme(models.Model):
    """Indicators with weights on 100 points, deductions with caps, grade thresholds and veto rules (JSON)."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    # The town's 考核办法 is versioned: each save is the next version of the year (1, 2, …); results name it.
    version = models.PositiveIntegerField(_("版本"), default=1)
    # {"indicators": [...], "deductions": [...], "thresholds": {...}, "vetoes": [...], "trainings_target": n}
    rules = models.JSONField(_("考核规则"))
    frozen = models.BooleanField(_("已启用（不可修改）"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "version"], name="assessment_scheme_version"),
        ]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """One year's assessment of a town: on the fly while a draft, a stored snapshot once published."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    year = models.PositiveIntegerField(_("年度"))
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("方案")
    )
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField(_("数据截至"), null=True, blank=True)
    snapshot = models.JSONField(_("发布结果"), default=dict, blank=True)
    snapshot_sha256 = models.CharField(_("结果校验值"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # --- issue 21: the 通报's 文号 and 成文日期, set on publishing; how the publisher re-authenticated.
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    doc_date = models.DateField(_("成文日期"), null=True, blank=True)
    publish_method = models.CharField(_("发布确认方式"), max_length=20, blank=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="assessment_round_unique_year"),
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_at__isnull=False),
                name="assessment_round_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度安全生产责任制考核"


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("单位")
    PERSON = "person", _("个人")


class AdjustmentQuerySet(TownScopedQuerySet[Any]):
    town_field = "round__town"


class Adjustment(StoredFile):
    """A documented manual adjustment of one subject's score: points (±), reason and a supporting file.

    The file is a stored file like any other evidence, but the row is the adjustment: its author and time are
    `created_by`/`created_at` (the adjustment's, not the upload's), and the file is named 佐证材料."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("考核")
    )
    subject_kind = models.CharField(_("对象类别"), max_length=10, choices=SubjectKind.choices)
    # "unit:<id>" or "person:<id>:<post id>", the key of the result it adjusts.
    subject = models.CharField(_("对象"), max_length=60)
    points = models.DecimalField(_("调整分值"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("调整理由"))
    file = models.FileField(_("佐证材料"), max_length=300)
    uploaded_by = None  # created_by below says who
    uploaded_at = None  # type: ignore[assignment]  # created_at below says when
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("调整时间"), auto_now_add=True)

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("人工调整")
        verbose_name_plural = _("人工调整")
        ordering = ["round", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="assessment_adjustment_has_reason"),
            models.CheckConstraint(
                condition=Q(points__gte=-20) & Q(points__lte=20) & ~Q(points=0),
                name="assessment_adjustment_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {Decimal(str(self.points)):+}"


# --- issue 21: items marked 不适用 and the 安委办's decisions on ties at the 先进 line -----------------------------


class RoundPartQuerySet(TownScopedQuerySet[Any]):
    town_field = "round__town"


class NotApplicable(models.Model):
    """The 安委办 marks one scoring item 不适用 for one subject, with a reason. Never edited or deleted: withdrawing
    it sets `withdrawn_at` (and its reason), and the item is scored again."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="not_applicable", verbose_name=_("考核")
    )
    subject = models.CharField(_("对象"), max_length=60)  # the key of the result, as Adjustment.subject
    item = models.CharField(_("考核指标"), max_length=40)
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("标注时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdraw_reason = models.TextField(_("撤销理由"), blank=True)

    objects = RoundPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("不适用标注")
        verbose_name_plural = _("不适用标注")
        ordering = ["round", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="assessment_not_applicable_has_reason"),
            models.UniqueConstraint(
                fields=["round", "subject", "item"],
                condition=Q(withdrawn_at__isnull=True),
                name="assessment_not_applicable_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.item} 不适用"


class TieDecision(models.Model):
    """A tie at the 先进 line (more subjects share the line's score than seats are left) decided by the 安委办:
    which of the tied take the seats (at most `seats`), with a reason. It applies while the tie is the same (the
    same subjects for the same seats); a draft's figures that change make a new tie to decide."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ties", verbose_name=_("考核"))
    group = models.CharField(_("名单"), max_length=10)  # "units" or "persons"
    tied = models.JSONField(_("并列对象"))  # the sorted keys of the tied subjects
    seats = models.PositiveIntegerField(_("剩余名额"))
    chosen = models.JSONField(_("确定为先进"))  # keys, a subset of `tied`, at most `seats`
    reason = models.TextField(_("决定理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    objects = RoundPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("并列名次决定")
        verbose_name_plural = _("并列名次决定")
        ordering = ["round", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="assessment_tie_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {len(self.chosen)}/{self.seats}"


# --- The accountability file (issue 21, point 5): 补录 admitted, the 安委办's finding, issued versions ----------


class FileKind(models.TextChoices):
    ACCIDENT = "accident", _("事故")
    HAZARD = "hazard", _("隐患")


class LateAdmission(models.Model):
    """The 安委办 admits a record entered after the file's moment (事后补录) as evidence, with its reason.

    Never edited or deleted; one per record (chain root) and file subject."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    subject_kind = models.CharField(_("材料类别"), max_length=10, choices=FileKind.choices)
    subject_id = models.PositiveIntegerField(_("事故或隐患"))
    record = models.ForeignKey(
        "duties.DutyRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("履职记录")
    )
    reason = models.TextField(_("采信理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("采信时间"), auto_now_add=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("事后补录采信")
        verbose_name_plural = _("事后补录采信")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "record"], name="assessment_admission_once"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="assessment_admission_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} 采信记录 {self.record_id}"


class Verdict(models.TextChoices):
    ACCOUNTABLE = "accountable", _("追责建议")
    EXEMPT = "exempt", _("免责建议")


class FileFinding(models.Model):
    """The 安委办's own finding on one person in a file: 追责建议 or 免责建议, with reasons, confirmed with the
    officer's password (or TOTP code). Never edited or deleted: a changed view is a later finding."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    subject_kind = models.CharField(_("材料类别"), max_length=10, choices=FileKind.choices)
    subject_id = models.PositiveIntegerField(_("事故或隐患"))
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("岗位"))
    verdict = models.CharField(_("意见"), max_length=12, choices=Verdict.choices)
    reasons = models.TextField(_("理由"))
    method = models.CharField(_("验证方式"), max_length=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("安委办意见")
        verbose_name_plural = _("安委办意见")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reasons=""), name="assessment_finding_has_reasons")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_verdict_display()}"

    def get_method_display(self) -> str:
        from yigang.signoff.models import Method

        return str(dict(Method.choices).get(self.method, self.method))


class IssuedFile(models.Model):
    """An accountability file as issued: its content frozen as JSON with the SHA-256 of that JSON. Reissuing
    makes the next version; earlier versions are kept unchanged."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    subject_kind = models.CharField(_("材料类别"), max_length=10, choices=FileKind.choices)
    subject_id = models.PositiveIntegerField(_("事故或隐患"))
    version = models.PositiveIntegerField(_("版本"))
    content = models.JSONField(_("材料内容"))
    sha256 = models.CharField(_("校验值"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    objects = TownScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("已出具的履职情况材料")
        verbose_name_plural = _("已出具的履职情况材料")
        ordering = ["subject_kind", "subject_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "version"], name="assessment_issued_file_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} 第{self.version}版"
