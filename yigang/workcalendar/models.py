"""A town's (or a county's) working calendar, one row per year entered from the State Council's notice.

`CalendarYear` keeps the notice's text verbatim with its SHA-256 and the days read from it: the holidays and
the weekend days that are working days (调休上班). It overrides the chinese-calendar package for its year (and for
the December days of the year before that its 元旦 item names). Entering a year again replaces the row: the old
one stays, with `replaced_at` and `replaced_by` set (a row is current while `replaced_at` is empty) — history is not rewritten.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Which calendar a working day (and a deadline counted on it) came from, strongest first."""

    NOTICE = "notice", _("国务院放假安排通知（已录入）")
    PACKAGE = "package", _("内置节假日数据")
    STATUTORY = "statutory", _("法定节日推算（未录入通知）")


# A deadline counted across several years is only as good as its weakest year.
STRENGTH = {Source.NOTICE: 2, Source.PACKAGE: 1, Source.STATUTORY: 0}


class CalendarYear(models.Model):
    """One year's holidays and working weekend days, as read from the notice and confirmed by a person."""

    town = models.ForeignKey(
        "towns.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("乡镇"),
    )
    county = models.CharField(_("旗县"), max_length=100, blank=True, help_text=_("为全旗县各乡镇录入时填写"))
    year = models.PositiveSmallIntegerField(_("年份"))
    text = models.TextField(_("通知原文"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # {"2027-01-01": "元旦", …}: the days off the notice names; {"2027-02-14": "春节", …}: weekend days worked.
    holidays = models.JSONField(_("放假日期"), default=dict)
    workdays = models.JSONField(_("调休上班日期"), default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"))
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("被替换为")
    )
    replaced_at = models.DateTimeField(_("替换时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["-year", "-entered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(town__isnull=False) & Q(county="")) | (Q(town__isnull=True) & ~Q(county="")),
                name="calendar_town_or_county",
            ),
            models.UniqueConstraint(
                fields=["town", "year"],
                condition=Q(town__isnull=False, replaced_at__isnull=True),
                name="calendar_one_current_town_year",
            ),
            models.UniqueConstraint(
                fields=["county", "year"],
                condition=Q(town__isnull=True, replaced_at__isnull=True),
                name="calendar_one_current_county_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town or self.county} {self.year}"

    @property
    def scope_label(self) -> str:
        return str(self.town) if self.town_id else f"{self.county}（全旗县）"

    def holiday_dates(self) -> list[datetime.date]:
        return sorted(datetime.date.fromisoformat(d) for d in self.holidays)

    def workday_dates(self) -> list[datetime.date]:
        return sorted(datetime.date.fromisoformat(d) for d in self.workdays)
