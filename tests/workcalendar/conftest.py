"""The hazards tests' register and report helper (for the recount tests) and a hypothetical 2027 notice.

No 2027 notice is published in the fixtures: NOTICE_2027 is made for the tests in the notices' own words (元旦
1–3 Jan; 春节 from 除夕 Fri 5 Feb to Fri 12 Feb, Sun 14 and Sat 20 Feb worked), so that it differs from the
statutory fallback where a deadline can show it.
"""

from __future__ import annotations

from tests.hazards.conftest import media, register, report

__all__ = ["media", "register", "report"]

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。2月14日（周日）、2月20日（周六）上班。
国务院办公厅
"""
