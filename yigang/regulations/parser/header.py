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

Texts copied from government sites also come as:

* the notice itself with no "关于印发…的通知" heading: ``各…：`` (optional), then "现将《X》印发给你们…" or
  "《X》已经…同意，现予印发…", the issuer lines and the date, then the regulation's title — ``title`` is X;
* metadata lines above (or just below) the title: "发布日期 2010-06-21 生效日期 2010-07-01", "发布文号 …",
  "索 引 号：… | 发布机构：… | 成文日期：… |" (labels with spaces inside, fields split by ``|``): 成文日期,
  else 发布日期/发布时间/印发日期, gives ``issued_on``; 生效日期/施行日期/实施日期 ``effective_on`` (when the text
  itself names no day); 发布文号/发文字号/文号 the document number; 发布机构/发文机关/发布单位 the issuer.
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
# A notice with no heading: "现将《X》印发给你们", "《X》已经…同意，现予印发".
_HEADLESS = re.compile(
    r"现将\s*《(?P<a>[^》]{2,80})》\s*(?:予以)?(?:印发|转发|下发|发布)"
    r"|《(?P<b>[^》]{2,80})》\s*(?:已经|已|经).{0,60}?(?:同意|通过|审定|研究)[，,]\s*现(?:予以?|将其?)?(?:印发|发布|下发|公布)"
)


def _label(word: str) -> str:
    """A metadata label as sites write it, with spaces between its characters ("索 引 号")."""
    return r"\s*".join(word)


# Metadata labels of government sites, by what they give.
_META_FIELDS: dict[str, tuple[str, ...]] = {
    "signed": ("成文日期", "签发日期"),
    "issued": ("发布日期", "印发日期", "发文日期", "发布时间", "公布日期"),
    "effective": ("生效日期", "施行日期", "实施日期", "生效时间"),
    "docno": ("发布文号", "发文字号", "发文文号", "发文号", "文号"),
    "issuer": ("发布机构", "发文机关", "发布单位", "发文单位", "制发机关"),
    "other": (
        "索引号",
        "主题分类",
        "公文种类",
        "体裁分类",
        "有效性",
        "字体",
        "信息来源",
        "来源",
        "浏览次数",
        "点击数",
        "失效日期",
        "废止日期",
        "时效",
        "分类",
        "主题词",
    ),
}
_META_KIND = {word: kind for kind, words in _META_FIELDS.items() for word in words}
_META_LABEL = re.compile(
    r"(?P<label>" + "|".join(_label(w) for w in sorted(_META_KIND, key=len, reverse=True)) + r")\s*[：:]?\s*"
)
_ISO_DATE = re.compile(r"(?P<y>\d{4})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})")


@dataclass
class Header:
    title: str = ""
    issuer: str = ""
    issued_on: datetime.date | None = None
    document_number: str = ""
    recipients: str = ""
    reason: str = ""
    preamble: str = ""
    effective_on: datetime.date | None = None  # from a metadata line ("生效日期 …")
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
    meta: dict[str, str] = {}
    while i < k and (
        _is_docno_line(doc.sline(i)) or re.fullmatch(r".{2,30}文件", doc.sline(i)) or _read_meta(doc, i, meta)
    ):
        if meta.pop("line", None):
            i += 1
            continue
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
    while i < k and (_read_meta(doc, i, meta) or _is_docno_line(doc.sline(i))):
        meta.pop("line", None)
        _take_docno(doc, head, i)
        i += 1
    recipients_line = None
    headless = None
    if not title_lines and i < k:
        # The notice itself, without its "关于印发…的通知" heading.
        j = i + 1 if _is_recipients(doc.sline(i)) else i
        found = _HEADLESS.search(doc.sline(j)) if j < k else None
        if found:
            group = "a" if found["a"] else "b"
            headless = doc.line(j)[found.start(group) : found.end(group)]
            if j > i:
                recipients_line = i
                head.recipients = doc.line(i).rstrip("：:").strip()
            i = j
    if title_lines and i < k and _is_recipients(doc.sline(i)):
        recipients_line = i
        head.recipients = doc.line(i).rstrip("：:").strip()
        i += 1
    notice = bool(title_lines) and (bool(_NOTICE.search(stitle)) or recipients_line is not None)
    if headless is not None:
        first = recipients_line if recipients_line is not None else i
        i = _read_notice(doc, head, i, k, "", "", [first - 1])
        head.title = headless
    elif notice:
        i = _read_notice(doc, head, i, k, title, stitle, title_lines)
    else:
        head.title = title
        while i < k and (is_date_line(doc.sline(i)) or _is_docno_line(doc.sline(i))):
            _read_date_or_docno(doc, head, i)
            i += 1
    head.body_start = i
    _apply_meta(head, meta)
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


def _read_meta(doc: Doc, i: int, meta: dict[str, str]) -> bool:
    """Read line ``i`` into ``meta`` if it is a line of metadata fields ("发布日期 2010-06-21 生效日期 …",
    "索 引 号：… | 发布机构：…"); ``meta["line"]`` is set while the line is being consumed."""
    sline = doc.sline(i).strip(" |｜")
    first = _META_LABEL.match(sline)
    if first is None or "。" in sline:
        return False
    after_label = sline[len(first["label"]) : len(first["label"]) + 1]
    if after_label not in ("", "：", ":", " ", "\t", "|", "｜") and not after_label.isdigit():
        return False  # "分类分级…" is a title, not the label 分类
    labels = list(_META_LABEL.finditer(sline))
    for here, after in zip(labels, [*labels[1:], None], strict=True):
        end = after.start() if after is not None else len(sline)
        value = sline[here.end() : end].strip(" |｜:：")
        word = re.sub(r"\s+", "", here["label"])
        kind = _META_KIND[word]
        if value and kind != "other":
            line = doc.line(i)
            offset = len(doc.sline(i)) - len(doc.sline(i).lstrip(" |｜"))
            raw = line[offset + here.end() : offset + end].strip(" |｜:：")
            meta.setdefault(kind, raw if kind in ("issuer", "docno") else value)
    meta["line"] = "1"
    return True


def _meta_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    m = _ISO_DATE.search(value)
    if m:
        try:
            return datetime.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
    return parse_date(value)


def _apply_meta(head: Header, meta: dict[str, str]) -> None:
    """What the text itself says stands; metadata fills the gaps."""
    issued = _meta_date(meta.get("signed")) or _meta_date(meta.get("issued"))
    if head.issued_on is None:
        head.issued_on = issued
    head.effective_on = _meta_date(meta.get("effective"))
    if not head.document_number and meta.get("docno"):
        m = DOCNO_RE.search(meta["docno"])
        head.document_number = m.group() if m else meta["docno"]
    if not head.issuer and meta.get("issuer"):
        head.issuer = meta["issuer"]


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
        signers = date_line
        # The issuer lines before the date (two for a joint notice: 镇党委 / 镇人民政府), leaving the letter.
        while signers - 1 > i and date_line - signers < 3 and _is_issuer_like(doc.sline(signers - 1)):
            signers -= 1
        if signers == date_line and date_line - 1 >= i and _is_issuer_like(doc.sline(date_line - 1)):
            signers -= 1
        if signers < date_line:
            head.issuer = "、".join(doc.line(j).strip() for j in range(signers, date_line))
            letter_end = signers
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
    head.preamble = "\n".join([title, *(doc.line(j) for j in range(title_lines[-1] + 1, end))]).lstrip("\n")
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
