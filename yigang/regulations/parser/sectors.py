"""Sector lists: the article whose items read "BODY：负责X、Y、Z等方面的安全监管".

The article is found by its items' shape (at least two items, and at least half of them, are
"BODY（note）：负责…"; ``；`` stands for ``：`` when 负责 follows), never by its number. Every item of it
gives one claim: the body before the first ``：``/``:`` (or before 负责 when there is no colon), a
parenthesised note after the body, and the sectors named in each clause that starts with 负责:

* a clause whose words after 负责 start with a verb (加强, 推进, 配合 …) names no sector;
* the enumeration ends at the first 等, else at 方面/领域 (when the supervision follows: 方面的安全…)
  or at 的安全/安全监管/安全工作/监管; "镇区除交管部门负责的车辆…" keeps what follows the last 负责的;
* it is split on 、 和 及 与 以及; filler (本单位, 所属行业, 系统, anything holding 安全生产) is dropped;
* ``消防（九小场所）`` gives name 消防, scope 九小场所; names go through a small alias table
  (危化品 → 危险化学品, 危化运输 → 危险化学品/运输, 烟花鞭炮 → 烟花爆竹 …);
* an enumeration limited to the town's own offices (a term starting with 机关: "机关设施、消防、用电、公务用车",
  "机关内部消防、用电") stays limited: each term becomes the sector 机关内部 with the term as its scope, never
  a town-wide 消防 or 用电.

Every sentence (between ；。) of an item has a home: the sectors it names; a clause that names work rather
than sectors (负责推进…, 配合…, 协助…, 把…纳入…) goes to the claim's ``tasks``; an enumeration without 负责
("户外广告、牌匾等公共设施安全检查") is read for sectors too. A sentence with none of these becomes a warning.
"""

from __future__ import annotations

import re

from yigang.words import chinese_number as int_to_cn

from .document import Doc, simplify
from .model import ParsedSector, ParsedSectorClaim
from .structure import ArticleSpan

_UNIT = r"(?P<unit>[^：:；;，,。（(）)]{2,30}?)\s*(?:[（(](?P<note>[^）)]{0,40})[）)])?\s*"
_CLAIM_SHAPE = re.compile(rf"^{_UNIT}(?:[：:]|[；;](?=\s*(?:主要|具体)?负责))\s*")
_NO_COLON = re.compile(rf"^{_UNIT}(?=(?:主要|具体)?负责)")
_CLAIM_START = re.compile(r"^\s*(?:主要|具体|同时)?负责")
_VERBS = (
    r"好|加强|推进|配合|协助|做好|作好|搞好|抓好|组织|指导|开展|督促|落实|协调|牵头|完成|建立|制定|贯彻|对|把|将|在"
    r"|参与|承担"
)
_VERB_START = re.compile(rf"^(?:{_VERBS})")
_TASK_START = re.compile(rf"^(?:同时|并|积极|主动|及时|认真)?(?:{_VERBS})")
_OWN_OFFICES = re.compile(r"^(?:镇|本)?机关")
_OWN_OFFICES_PREFIX = re.compile(r"^(?:镇|本)?机关内部的?")
OWN_OFFICES = "机关内部"
_FULLWIDTH_DIGITS = {code: code - 0xFEE0 for code in range(ord("０"), ord("９") + 1)}
_ENUM_STOP = re.compile(r"方面|行业领域|领域|的安全|安全监管|安全工作|安全生产监管|安全管理|的监管|监管")
_AFTER_AREA = re.compile(r"^(?:方面|行业领域|领域)的?(?:安全|监管|工作|管理)")
_QUALIFIED = re.compile(r"^(?P<name>[^（(]+?)\s*[（(](?P<scope>[^）)]+)[）)]$")
_GENERIC = {
    "本单位",
    "本部门",
    "所属行业",
    "系统",
    "本行业",
    "本系统",
    "其他",
    "其它",
    "相关",
    "行业",
    "领域",
    "各类",
}
_ALIASES: dict[str, tuple[str, str]] = {
    "危化品": ("危险化学品", ""),
    "危化": ("危险化学品", ""),
    "危险化学品": ("危险化学品", ""),
    "烟花鞭炮": ("烟花爆竹", ""),
    "烟花爆竹": ("烟花爆竹", ""),
    "道路交通安全": ("道路交通", ""),
    "交通": ("道路交通", ""),
    "九小场所消防": ("消防", "九小场所"),
    "消防安全": ("消防", ""),
}
_SCOPED_SUFFIX = re.compile(r"^(?P<base>.+?)(?P<scope>运输|储存|经营|使用|生产)$")


def is_sector_article(doc: Doc, article: ArticleSpan) -> bool:
    """Most items read "BODY：负责…"."""
    shaped = 0
    for item in article.items:
        simp = doc.simp[item.text_start : doc.ends[item.last]].strip()
        m = _CLAIM_SHAPE.match(simp)
        shaped += bool(m and _CLAIM_START.match(simp[m.end() :]))
    return shaped >= 2 and shaped * 2 >= len(article.items)


def sector_claims(doc: Doc, article: ArticleSpan) -> tuple[list[ParsedSectorClaim], list[str]]:
    """One claim per item of a sector article, and a warning per sentence with no home (module docstring)."""
    claims = []
    warnings = []
    for item in article.items:
        raw = doc.simp[item.text_start : doc.ends[item.last]]
        start = item.text_start + len(raw) - len(raw.lstrip())
        simp = raw.strip()
        text = doc.text[start : start + len(simp)]
        m = _CLAIM_SHAPE.match(simp) or _NO_COLON.match(simp)
        unit = note = ""
        rest = 0
        if m:
            unit = text[m.start("unit") : m.end("unit")].strip()
            if m["note"] is not None:
                note = text[m.start("note") : m.end("note")].strip()
            rest = m.end()
        sectors: list[ParsedSector] = []
        tasks: list[str] = []
        for first, last, claimed in _clauses(simp, rest):
            task = not claimed and bool(_TASK_START.match(simp[first:last].strip()))
            found = [] if task else _sectors(simp, text, first, last)
            for sector in found:
                if sector not in sectors:
                    sectors.append(sector)
            if found:
                continue
            words = text[first:last].strip(" ，,")
            whole = text[first - (len(simp[:first]) - len(simp[:first].rstrip("负责主要具体同时 "))) : last]
            if claimed or task:
                tasks.append(whole.strip(" ，,") if claimed else words)
            elif words:
                where = f"第{int_to_cn(article.number)}条第{item.number}项"
                warnings.append(f"{where}“{words}”未能归入行业领域或工作职责，请核对")
        claims.append(
            ParsedSectorClaim(item=item.number, unit=unit, note=note, sectors=sectors, text=text, tasks=tasks)
        )
    return claims, warnings


def without_sectors(text: str, drop: set[tuple[str, str]]) -> str:
    """One item's text without the terms naming the (name, scope) sectors in ``drop``.

    For a body that handed sectors over in a reorganisation: "负责生产经营企业、烟花鞭炮、非煤矿山等方面的安全监管"
    without 烟花爆竹 reads "负责生产经营企业、非煤矿山等方面的安全监管"; a sentence left naming no sector is dropped.
    Sentences naming work, not sectors, stay as written.
    """
    simp = simplify(text)
    if len(simp) != len(text):
        text = simp
    simp = simp.translate(_FULLWIDTH_DIGITS)
    m = _CLAIM_SHAPE.match(simp) or _NO_COLON.match(simp)
    rest = m.end() if m else 0
    out = [text[:rest]]
    pos = rest
    for part in re.finditer(r"[^；;。\n]+", simp[rest:]):
        first, last = rest + part.start(), rest + part.end()
        lead = _CLAIM_START.match(part.group())
        terms: list[tuple[int, int, ParsedSector]] = []
        if lead or not _TASK_START.match(part.group().strip()):
            terms = _sector_terms(simp, text, first + (lead.end() if lead else 0), last)
        gone = [(a, b) for a, b, sector in terms if (sector.name, sector.scope) in drop]
        if not gone:
            continue
        out.append(text[pos:first])
        if len(gone) == len(terms):  # nothing left to name: the sentence and its mark go
            pos = last + 1 if last < len(text) and text[last] in "；;" else last
            continue
        kept = [(a, b) for a, b, _ in terms if (a, b) not in gone]
        enumeration = "、".join(text[a:b].strip(" 、和及与") for a, b in kept)
        out.append(text[first : terms[0][0]] + enumeration)
        pos = terms[-1][1]
    out.append(text[pos:])
    return "".join(out).replace("；。", "。")


def _clauses(simp: str, pos: int) -> list[tuple[int, int, bool]]:
    """(start, end, after 负责) of each sentence from ``pos`` on: after its 负责 when it has one."""
    spans = []
    for part in re.finditer(r"[^；;。\n]+", simp[pos:]):
        m = _CLAIM_START.match(part.group())
        lead = m.end() if m else len(part.group()) - len(part.group().lstrip())
        spans.append((pos + part.start() + lead, pos + part.end(), m is not None))
    return spans


def _sectors(simp: str, text: str, start: int, end: int) -> list[ParsedSector]:
    return [sector for _, _, sector in _sector_terms(simp, text, start, end)]


def _sector_terms(simp: str, text: str, start: int, end: int) -> list[tuple[int, int, ParsedSector]]:
    """The sectors an enumeration names, each with the offsets of the term that names it."""
    words = simp[start:end]
    if _VERB_START.match(words):
        return []
    # "镇区除交管部门负责的车辆安全工作": the body's own share follows the last 负责(的).
    cut = words.rfind("负责")
    if cut >= 0:
        start += cut + (3 if words.startswith("负责的", cut) else 2)
        words = simp[start:end]
    stop = words.find("等")
    if stop < 0:
        m = _ENUM_STOP.search(words)
        if not m or (m.group() in ("方面", "行业领域", "领域") and not _AFTER_AREA.match(words[m.start() :])):
            return []
        stop = m.start()
    terms = [(start + first, start + last) for first, last in _term_spans(words[:stop])]
    if any(_OWN_OFFICES.match(simp[first:last].strip()) for first, last in terms):
        # Limited to the town's own offices: one sector, 机关内部, scoped term by term.
        limited = []
        for first, last in terms:
            prefix = _OWN_OFFICES_PREFIX.match(simp[first:last].strip())
            lead = len(simp[first:last]) - len(simp[first:last].lstrip()) + (prefix.end() if prefix else 0)
            scope = text[first + lead : last].strip().rstrip("的等")
            if scope:
                limited.append((first, last, ParsedSector(OWN_OFFICES, scope)))
        return limited
    result = []
    for first, last in terms:
        sector = _canonical(simp[first:last], text[first:last])
        if sector is not None:
            result.append((first, last, sector))
    return result


def _term_spans(words: str) -> list[tuple[int, int]]:
    """Split an enumeration on 、 和 及 与 以及 outside brackets ("消防（九小场所及其他）" stays whole)."""
    spans = []
    depth = begin = i = 0
    while i < len(words):
        ch = words[i]
        width = 0
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            if words.startswith("以及", i):
                width = 2
            elif ch in "、和与/，," or (ch == "及" and (i == 0 or words[i - 1] not in "涉普")):
                width = 1
        if width:
            spans.append((begin, i))
            begin = i + width
            i += width
        else:
            i += 1
    spans.append((begin, len(words)))
    return spans


def _canonical(simp: str, text: str) -> ParsedSector | None:
    """A sector from one enumerated term (Simplified copy and source text of the same length)."""
    m = re.match(r"^\s*(?:全镇|全乡|本镇|辖区内?)?", simp)
    first = m.end() if m else 0
    last = len(simp)
    while last > first and simp[last - 1] in "的等 ":
        last -= 1
    simp, text = simp[first:last], text[first:last]
    scope = ""
    q = _QUALIFIED.match(simp)
    if q:
        scope = text[q.start("scope") : q.end("scope")].strip()
        simp, text = simp[: q.end("name")].strip(), text[: q.end("name")].strip()
    if (
        len(simp) < 2
        or len(simp) > 20
        or simp in _GENERIC
        or "安全生产" in simp
        or simp.startswith(("本", "所属"))
    ):
        return None
    if simp in _ALIASES:
        name, alias_scope = _ALIASES[simp]
        return ParsedSector(name, scope or alias_scope)
    suffix = _SCOPED_SUFFIX.match(simp)
    if suffix and suffix["base"] in _ALIASES:
        return ParsedSector(_ALIASES[suffix["base"]][0], scope or suffix["scope"])
    return ParsedSector(text, scope)
