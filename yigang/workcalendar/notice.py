"""Reading the State Council's annual notice (国务院办公厅关于YYYY年部分节假日安排的通知) into days.

Plain Python, no database. Every line of the text is classified:

- a *schedule line* — an item ("一、元旦：…", "六、中秋节、国庆节：…", "——春节：…") or a line that starts with a
  date — must be read completely: its holidays ("1月1日至3日放假调休，共3天", "4月5日放假，4月6日（星期一）补休",
  "9月13日放假，与周末连休", "1月1日（周三）放假1天，不调休") and its working weekend days ("2月2日（星期六）、
  2月3日（星期日）上班"). Anything in it that cannot be read, a date that does not exist, a weekday in brackets
  that is not the date's weekday (星期/周/礼拜 forms), or a "共N天" that is not the length of the range makes the
  line *unread*, and a notice with an unread line is not saved.
- every other line (title, addressees, preamble, closing, issuer, date) is *context*, shown but not used.
  Sentences that begin with 鼓励 ("鼓励各单位…安排职工在除夕（2月9日）休息") are advice, not schedule.

Dates without a year belong to the notice's year, except December dates of the 元旦 item, or the start of a
range that runs from December into January ("12月30日至1月1日"), which belong to the year before. A range
without a month on its end ("1月28日至2月4日" has one, "2月4日至10日" does not) takes the start's month; an end
month before the start's month is in the next year. "与周末连休" adds no day: the weekend is off anyway.
Traditional-character copies are read through OpenCC t2s; full-width digits and punctuation through NFKC.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from opencc import OpenCC

# Longer than any real notice by far; a pasted book is a mistake.
MAX_CHARS = 20_000

HOLIDAY_WORDS = ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆", "纪念日", "胜利")
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
WEEKDAY_NAMES = "一二三四五六日"

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\(?[一二三四五六七八九十]+\)|\d{1,2}[、.．]|—+|-+)"
)
_ITEM = re.compile(r"^(?P<name>[^:]{1,24}?):(?P<body>.+)$")
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?:\((?P<{p}w>[^)]*)\))?"
_ONE = _DATE.format(p="a")
_RANGE = re.compile(
    "^" + _ONE + r"(?:(?:至|到|-|~|—|–)" + _DATE.format(p="b") + r")?"
    r"放假(?P<shift>调休)?(?:(?P<n>\d+)天)?$"
)
_COUNT = re.compile(r"^共(?P<n>\d+)天$")
_JOINS = re.compile(r"^与(?:周末|周六|周日|星期六|星期日|双休日)连休$")
_NO_SHIFT = re.compile(r"^(?:不调休|不补休)$")
_MAKEUP = re.compile("^" + _ONE + r"补休$")
_WORK = re.compile(r"^(?:(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:\([^)]*\))?、?)+上班$")
_WORK_ONE = re.compile(_DATE.format(p="x"))
_WEEKDAY_WORD = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")
_TITLE_YEAR = re.compile(r"关于(?:调整)?(\d{4})年.{0,20}?(?:节假日|放假|假期)")
_PREAMBLE_YEAR = re.compile(r"现将(\d{4})年")
_ANY_DATE = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}日")


@dataclass
class Line:
    """One line of the text as read: `status` is read, unread or context; `message` says what went wrong."""

    number: int
    text: str
    status: str = "context"
    message: str = ""
    holiday: str = ""
    days: list[datetime.date] = field(default_factory=list)
    workdays: list[datetime.date] = field(default_factory=list)


@dataclass
class ParsedNotice:
    year: int | None
    lines: list[Line]
    holidays: dict[datetime.date, str] = field(default_factory=dict)
    workdays: dict[datetime.date, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unread(self) -> list[Line]:
        return [line for line in self.lines if line.status == "unread"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unread and bool(self.holidays)

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "ok": self.ok,
            "holidays": [{"date": d.isoformat(), "name": n} for d, n in sorted(self.holidays.items())],
            "workdays": [{"date": d.isoformat(), "name": n} for d, n in sorted(self.workdays.items())],
            "unread": [{"line": ln.number, "text": ln.text, "reason": ln.message} for ln in self.unread],
            "errors": self.errors,
            "warnings": self.warnings,
        }


class _Unread(Exception):
    pass


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def normalise(text: str) -> str:
    """Simplified characters, half-width digits and punctuation, no spaces inside a line."""
    if not text.isascii():
        text = str(_t2s().convert(text))
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u3000", " ")
    return text


def _weekday_check(day: datetime.date, bracket: str | None, raw: str) -> None:
    if not bracket:
        return
    words = _WEEKDAY_WORD.findall(bracket)
    for word in words:
        if WEEKDAYS[word] != day.weekday():
            raise _Unread(
                f"{raw}是星期{WEEKDAY_NAMES[day.weekday()]}，通知括号里写的是“{bracket}”，请核对原文。"
            )


def _make(year: int, month: int, dayno: int, raw: str) -> datetime.date:
    try:
        return datetime.date(year, month, dayno)
    except ValueError:
        raise _Unread(f"“{raw}”不是有效日期。") from None


class _Reader:
    def __init__(self, year: int, holiday: str) -> None:
        self.year = year
        self.holiday = holiday
        self.month: int | None = None
        self.last_range: list[datetime.date] = []

    def date(
        self, m: re.Match[str], p: str, *, start: datetime.date | None = None, previous_year: bool = False
    ) -> datetime.date:
        y, mo, d, w = m.group(f"{p}y"), m.group(f"{p}m"), m.group(f"{p}d"), m.group(f"{p}w")
        raw = m.group(0)
        if mo is None:
            if start is not None:
                month = start.month
            elif self.month is not None:
                month = self.month
            else:
                raise _Unread(f"“{raw}”没有写月份。")
        else:
            month = int(mo)
        if y is not None:
            year = int(y)
        elif previous_year:
            year = self.year - 1
        elif start is not None:
            year = start.year + (1 if month < start.month else 0)
        elif month == 12 and "元旦" in self.holiday:
            year = self.year - 1
        else:
            year = self.year
        day = _make(year, month, int(d), f"{month}月{d}日")
        _weekday_check(day, w, f"{year}年{month}月{d}日")
        self.month = month
        return day

    def part(self, part: str, line: Line) -> None:
        if m := _RANGE.match(part):
            # "12月30日至1月1日": a range from December into January starts in the year before.
            crosses = m.group("am") == "12" and m.group("bm") == "1"
            first = self.date(m, "a", previous_year=crosses)
            last = self.date(m, "b", start=first) if m.group("bd") is not None else first
            if last < first:
                raise _Unread(f"“{part}”的结束日期早于开始日期。")
            days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
            if len(days) > 14:
                raise _Unread(f"“{part}”连放 {len(days)} 天，超出常理，请核对原文。")
            if m.group("n") is not None and int(m.group("n")) != len(days):
                raise _Unread(f"“{part}”写的是放假 {m.group('n')} 天，日期范围是 {len(days)} 天。")
            self.last_range = days
            line.days.extend(days)
            return
        if m := _COUNT.match(part):
            if not self.last_range:
                raise _Unread(f"“{part}”前面没有放假日期。")
            if int(m.group("n")) != len(self.last_range):
                raise _Unread(f"“共{m.group('n')}天”与放假日期的范围（{len(self.last_range)} 天）不符。")
            return
        if _JOINS.match(part):
            if not self.last_range:
                raise _Unread(f"“{part}”前面没有放假日期。")
            before = self.last_range[0] - datetime.timedelta(days=1)
            after = self.last_range[-1] + datetime.timedelta(days=1)
            if before.weekday() < 5 and after.weekday() < 5:
                line.message = f"“{part}”：放假日期前后都不是周末，请核对。"
            return
        if _NO_SHIFT.match(part):
            return
        if m := _MAKEUP.match(part):
            day = self.date(m, "a")
            line.days.append(day)
            return
        if _WORK.match(part):
            for one in _WORK_ONE.finditer(part.removesuffix("上班")):
                line.workdays.append(self.date(one, "x"))
            return
        raise _Unread(f"读不懂“{part}”。")


def _schedule(line: str) -> tuple[str, str] | None:
    """(holiday name, body) for a schedule line, None for context."""
    bare = _NUMBERING.sub("", line, count=1)
    m = _ITEM.match(bare)
    if m and any(w in m.group("name") for w in HOLIDAY_WORDS) and _ANY_DATE.search(m.group("body")):
        return m.group("name").strip("、 "), m.group("body")
    if bare != line and re.match(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日", bare):
        return "", bare
    return None


def _year(text: str) -> int | None:
    for pattern in (_TITLE_YEAR, _PREAMBLE_YEAR):
        m = pattern.search(text)
        if m:
            return int(m.group(1))
    return None


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """Read a notice. `year` is needed only when the text names none (a copy without its title)."""
    if len(text) > MAX_CHARS:
        return ParsedNotice(year=year, lines=[], errors=[f"文本超过 {MAX_CHARS} 字，不像一份放假安排通知。"])
    norm = normalise(text)
    raws = text.splitlines()
    found = _year(re.sub(r"\s+", "", norm))
    result = ParsedNotice(year=found or year, lines=[])
    if found and year and found != year:
        result.errors.append(f"通知写的是 {found} 年，所选年份是 {year} 年。")
    if result.year is not None and not 2000 <= result.year <= 2100:
        result.errors.append(f"年份 {result.year} 不在 2000 到 2100 之间。")
        result.year = None
    elif result.year is None:
        result.errors.append("通知中找不到年份（如“关于2027年部分节假日安排的通知”），请选择年份。")
    for number, (raw, norm_line) in enumerate(zip(raws, norm.splitlines(), strict=False), start=1):
        line = Line(number=number, text=raw.strip())
        compact = re.sub(r"\s+", "", norm_line)
        result.lines.append(line)
        item = _schedule(compact) if compact else None
        if item is None or result.year is None:
            continue
        name, body = item
        line.holiday = name
        reader = _Reader(result.year, name)
        try:
            for sentence in re.split(r"[。;]", body):
                if not sentence or sentence.startswith("鼓励"):
                    continue
                for part in re.split(r",", sentence):
                    if part:
                        reader.part(part, line)
            if not line.days and not line.workdays:
                raise _Unread("这一行没有放假或上班的日期。")
        except _Unread as exc:
            line.status, line.message = "unread", str(exc)
            line.days, line.workdays = [], []
            continue
        line.status = "read"
        label = name or "调整"
        for day in line.days:
            if day in result.holidays and result.holidays[day] != label:
                result.holidays[day] += "、" + label
            else:
                result.holidays[day] = label
        for day in line.workdays:
            if day.weekday() < 5:
                line.message = f"{day:%m月%d日}是工作日，通知说这天上班，不必调休。"
                result.warnings.append(f"第 {number} 行：{line.message}")
            result.workdays[day] = label
    for day in sorted(set(result.holidays) & set(result.workdays)):
        result.errors.append(f"{day.isoformat()} 既是放假日又是上班日，请核对原文。")
    if result.year is not None and not result.errors and not result.unread and not result.holidays:
        result.errors.append("没有读到任何放假安排：请粘贴“国务院办公厅关于…年部分节假日安排的通知”的全文。")
    if result.year is not None and result.holidays:
        named = "".join(ln.holiday for ln in result.lines if ln.status == "read")
        missing = [w for w in ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆") if w not in named]
        if missing:
            result.warnings.append("通知中没有" + "、".join(missing) + "的安排，请核对粘贴的是否为通知全文。")
    return result
