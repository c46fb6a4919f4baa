"""The parts around the body: title, document number, recipients, notice, signature and date.

A text may be the regulation alone, or a 通知 wrapping it::

    乌审召镇人民政府关于印发《…制度（新修订）》的通知      ← title, possibly over several lines
    各嘎查村（社区）、相关单位：                          ← recipients
        因…，现将《…》印发给你们，请遵照执行。            ← the notice; its 因/根据/为 clause is the reason
                          乌审召镇人民政府              ← issuer (the line before the date)
                          2022年8月4日                  ← issued_on
    …制度                                             ← the regulation's own title again
    第一章 总则                                        ← body

For a notice, ``title`` is the regulation's title (the 《…》 inside the notice title) and the notice,
from its title to its date, is the ``preamble``. A signature and date may also close the text.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .document import Doc
from .numerals import DATE_RE, parse_date
from .structure import is_structural, mark_of

DOCNO_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,14}\s*[〔\[［（(【]\s*\d{4}\s*[〕\]］）)】]\s*第?\s*\d{1,4}\s*号"
)
_QUOTED = re.compile(r"“[^”]*(?:”|$)|《[^》]*(?:》|$)|\"[^\"]*(?:\"|$)")
_GENRE_END = re.compile(
    r"(通知|制度|办法|规定|细则|方案|意见|决定|规则|职责|清单|责任制|实施方案|规范)[）)]?$"
)
_NOTICE = re.compile(r"通知$|关于(?:印发|转发|下发)")
_CLOSING = re.compile(r"^(?:抄送|抄报|主送|报送|附件)[：:]|印发$|^（此件[^）]*）$")
_REASON_CUE = re.compile(r"[，,]\s*现(?:将|把|予以?|印发|对|就)")
_REASON_START = ("因", "根据", "为", "鉴于", "按照", "依据")


@dataclass
class Header:
    title: str = ""
    issuer: str = ""
    issued_on: datetime.date | None = None
    document_number: str = ""
    recipients: str = ""
    reason: str = ""
    preamble: str = ""
    body_start: int = 0  # first line after the header
    body_end: int = 0  # first line of the closing signature (or len)


def is_date_line(sline: str) -> bool:
    """A line that is a date and little else: "2022年8月4日", "（二〇二二年八月四日）"."""
    m = DATE_RE.search(sline)
    if not m:
        return False
    rest = (sline[: m.start()] + sline[m.end() :]).strip(" （）()〔〕[]")
    return len(rest) <= 12 and "，" not in rest and "。" not in rest


def _docno_span(sline: str) -> tuple[int, int] | None:
    """Where a line that is a document number ("乌召政发〔2022〕45号") holds it."""
    m = DOCNO_RE.search(sline)
    if m and m.start() <= 2 and len(sline) - m.end() <= 4:
        return m.span()
    return None


def _is_docno_line(sline: str) -> bool:
    return _docno_span(sline) is not None


def _is_issuer_like(sline: str) -> bool:
    return (
        0 < len(sline) <= 40
        and not re.search(r"[，。；：,;:！？]", sline)
        and not is_date_line(sline)
        and not is_structural(sline)
        and mark_of(sline) is None
    )


def _is_title_like(sline: str) -> bool:
    if not sline or len(sline) > 60 or "。" in sline or sline.endswith(("：", ":")):
        return False
    if is_structural(sline) or mark_of(sline) or is_date_line(sline) or _is_docno_line(sline):
        return False
    return not re.search(r"[，,；;！？]", _QUOTED.sub("", sline))


def _balanced(text: str) -> bool:
    return all(
        text.count(a) == text.count(b) for a, b in (("《", "》"), ("“", "”"), ("（", "）"), ("(", ")"))
    )


def parse_header(doc: Doc, first_body: int) -> Header:
    """Read the lines before ``first_body`` (the first chapter/article line, or len(doc))."""
    head = Header(body_end=_closing_start(doc, first_body))
    k = first_body
    i = 0
    doc_header = ""
    while i < k and (_is_docno_line(doc.sline(i)) or re.fullmatch(r".{2,30}文件", doc.sline(i))):
        if not _take_docno(doc, head, i):
            doc_header = doc.line(i)[:-2]
        i += 1
    # A date set above the title ("2022年8月4日" on the first line) is the issue date.
    while i < k and is_date_line(doc.sline(i)):
        _read_date_or_docno(doc, head, i)
        i += 1
    title_lines: list[int] = []
    while i < k and len(title_lines) < 6 and _is_title_like(doc.sline(i)):
        title_lines.append(i)
        i += 1
        joined = "".join(doc.sline(j) for j in title_lines)
        if _balanced(joined) and _GENRE_END.search(joined) and not (i < k and _is_addendum(doc.sline(i))):
            break
    title = "".join(doc.line(j) for j in title_lines)
    stitle = "".join(doc.sline(j) for j in title_lines)
    if i < k and _take_docno(doc, head, i):
        i += 1
    recipients_line = None
    if title_lines and i < k and _is_recipients(doc.sline(i)):
        recipients_line = i
        head.recipients = doc.line(i).rstrip("：:").strip()
        i += 1
    notice = bool(title_lines) and (bool(_NOTICE.search(stitle)) or recipients_line is not None)
    if notice:
        i = _read_notice(doc, head, i, k, title, stitle, title_lines)
    else:
        head.title = title
        while i < k and (is_date_line(doc.sline(i)) or _is_docno_line(doc.sline(i))):
            _read_date_or_docno(doc, head, i)
            i += 1
    head.body_start = i
    if not head.issuer or head.issued_on is None:
        _read_closing(doc, head)
    if not head.issuer:
        m = re.match(r"(.{2,30}?)关于", stitle)
        head.issuer = title[: m.end(1)] if m else doc_header
    return head


_EFFECTIVE = re.compile(
    rf"自\s*(?:(?P<date>{DATE_RE.pattern})|(?P<event>印发|发布|公布|下发|签发|颁布)之日)\s*起\s*(?:施行|执行|实施|生效)"
)


def effective_date(simp: str, issued_on: datetime.date | None) -> datetime.date | None:
    """The day the text says it takes effect: "自2022年9月1日起施行", or its issue date for "自印发之日起施行"."""
    for m in _EFFECTIVE.finditer(simp):
        if m["event"]:
            if issued_on is not None:
                return issued_on
            continue
        day = parse_date(m["date"])
        if day is not None:
            return day
    return None


def _is_addendum(sline: str) -> bool:
    return bool(re.fullmatch(r"[（(][^（）()]{1,20}[）)]", sline))


def _is_recipients(sline: str) -> bool:
    return sline.endswith(("：", ":")) and len(sline) <= 80 and "。" not in sline and not is_structural(sline)


def _take_docno(doc: Doc, head: Header, i: int) -> bool:
    """Record line ``i`` as the document number if it is one (the first one found stands)."""
    span = _docno_span(doc.sline(i))
    if span is None:
        return False
    if not head.document_number:
        head.document_number = doc.line(i)[span[0] : span[1]]
    return True


def _read_date_or_docno(doc: Doc, head: Header, i: int) -> None:
    s = doc.sline(i)
    if is_date_line(s) and head.issued_on is None:
        head.issued_on = parse_date(s)
    _take_docno(doc, head, i)


def _read_notice(
    doc: Doc,
    head: Header,
    i: int,
    k: int,
    title: str,
    stitle: str,
    title_lines: list[int],
) -> int:
    """Fill the header from a 通知 wrapping the regulation; returns the first line after it."""
    date_line = next((j for j in range(i, k) if is_date_line(doc.sline(j))), None)
    if date_line is not None:
        end = date_line + 1
        head.issued_on = parse_date(doc.sline(date_line))
        if date_line - 1 >= i and _is_issuer_like(doc.sline(date_line - 1)):
            head.issuer = doc.line(date_line - 1)
            letter_end = date_line - 1
        else:
            letter_end = date_line
    else:
        # No date: the notice runs until the regulation's own title (a run of title-like lines).
        end = k
        while end - 1 >= i and _is_title_like(doc.sline(end - 1)):
            end -= 1
        if end == i:
            end = k
        letter_end = end
    own = end
    while own < k and _is_title_like(doc.sline(own)):
        own += 1
    letter = range(i, letter_end)
    sletter = "\n".join(doc.sline(j) for j in letter)
    head.reason = _reason(sletter, "\n".join(doc.line(j) for j in letter))
    for j in letter:
        _take_docno(doc, head, j)
    head.preamble = "\n".join([title, *(doc.line(j) for j in range(title_lines[-1] + 1, end))])
    head.title = _regulation_title(title, stitle) or "".join(doc.line(j) for j in range(end, own)) or title
    return own


def _regulation_title(title: str, stitle: str) -> str:
    """The 《…》 inside a notice title, or what follows 关于印发 up to 的通知."""
    start = stitle.find("《")
    if start >= 0:
        depth = 0
        for pos in range(start, len(stitle)):
            depth += {"《": 1, "》": -1}.get(stitle[pos], 0)
            if depth == 0:
                return title[start + 1 : pos]
    m = re.search(r"关于(?:印发|转发|下发)(.+?)的通知$", stitle)
    return title[m.start(1) : m.end(1)] if m else ""


def _reason(sletter: str, letter: str) -> str:
    """The 因/根据/为 clause ending before "，现将…" in the notice."""
    for cue in _REASON_CUE.finditer(sletter):
        sentence_start = max(sletter.rfind(p, 0, cue.start()) for p in "。；\n!！") + 1
        sentence = sletter[sentence_start : cue.start()]
        clause_starts = [0] + [m.end() for m in re.finditer(r"[，,]", sentence)]
        for pos in clause_starts:
            if sentence[pos:].lstrip().startswith(_REASON_START):
                lead = len(sentence[pos:]) - len(sentence[pos:].lstrip())
                return letter[sentence_start + pos + lead : cue.start()].strip()
    return ""


def _closing_start(doc: Doc, first_body: int) -> int:
    """First line of the closing block (版记, then signature and date) at the end of the text."""
    end = len(doc)
    while end - 1 > first_body and _CLOSING.search(doc.sline(end - 1)):
        end -= 1
    if end - 1 > first_body and is_date_line(doc.sline(end - 1)):
        end -= 1
        for _ in range(2):
            if end - 1 > first_body and _is_issuer_like(doc.sline(end - 1)):
                end -= 1
    return end


def _read_closing(doc: Doc, head: Header) -> None:
    """Issuer and date from the signature closing the text, when the header had none."""
    lines = [j for j in range(head.body_end, len(doc)) if not _CLOSING.search(doc.sline(j))]
    dates = [j for j in lines if is_date_line(doc.sline(j))]
    if not dates:
        return
    if head.issued_on is None:
        head.issued_on = parse_date(doc.sline(dates[0]))
    signers = [doc.line(j) for j in lines if j < dates[0]]
    if not head.issuer and signers:
        head.issuer = "、".join(signers)
