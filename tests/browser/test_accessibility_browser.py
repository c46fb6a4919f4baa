"""Accessible to everyone (issue 27, points 11 and 7): every page each role of the demo town reaches, at 390×844
and 1280×800, has no WCAG 2.1 A/AA violation axe-core finds, and at 390 px every link or button that acts is a
target at least 44 px tall and wide.

The pages are found, not listed: from the role's home, every same-site link of every page (the header, its account
menu, the sub-navigation, the lists and their rows) is followed, one page per view (URL name), so a list and one of
its details are both visited without walking every row. Downloads (.docx/.xlsx/.pdf, attachments), the API and
the links that change the session (logout, language, town) are not pages and are left out (NOT_PAGES).

axe-core is a test tool: it comes from npm (package.json devDependencies, installed by `npm ci`) and is injected
into the test browser only (context.add_init_script reads node_modules/axe-core/axe.min.js); it is never copied to
yigang/static, so it is not served to users (docs/dependencies.md).

One browser, one login per role, one page reused for every URL: the viewport is switched between the two sizes on
the loaded page (the layout is CSS media queries; phones.js labels tables whatever the width). A page whose <main>
shows exactly what another role's page showed is not checked twice (its links are still followed); the header,
which names the user, is checked on each role's home, with its section and account menus opened on the phone.
Two targets whose boxes overlap (Pico's negative nav margins did so) count as too small.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.guard import load_demo, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Yigang@2022"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TARGET = 44  # px, WCAG 2.5.5 and the house rule "every link or button that acts is at least 44 px tall"

# (role, login): the demo's accounts; the deputy for agriculture (副镇长（分管农牧业）额尔敦) logs in with his phone
# number, like every post holder the demo gives an account (yigang/signoff/demo.py).
ROLES = [
    ("安委办", "anweiban"),
    ("镇长", "zhenzhang"),
    ("副镇长", "13904770107"),
    ("部门", "pingan"),
    ("嘎查书记", "gacha"),
    ("旗县", "county"),
    ("系统管理员", "sysadmin"),
    ("审计管理员", "shenji"),
    ("企业", "jiayouzhan"),
]

WORK = {
    "hazards:detail",
    "accidents:detail",
    "duties:heatmap",
    "duties:person_year",
    "signoff:task",
    "places:detail",
}
REACHES = {
    "安委办": WORK | {"hazards:new", "duties:settings", "assessment:hazard_file", "regulations:import"},
    "镇长": WORK | {"org:person", "duties:record_new"},
    "副镇长": WORK | {"org:person"},
    "部门": WORK | {"hazards:new", "duties:record"},
    "嘎查书记": WORK - {"accidents:detail"} | {"hazards:new", "duties:record"},  # no accident in his village
    "旗县": WORK | {"county:towns", "county:town"},
    "系统管理员": {"home", "accounts:list", "accounts:detail", "accounts:create"},
    "审计管理员": {"home", "audit:list", "audit:detail"},
    # The petrol station's own account: its place (with the order addressed to it), its hazards, 企业自查.
    "企业": {"home", "places:detail", "hazards:list", "hazards:detail", "hazards:new"},
}

# URL names that are not pages: downloads, the API, the PWA files, the badge fragment, session switches.
NOT_PAGES_PREFIX = ("api:", "pwa:")
NOT_PAGES_SUFFIX = ("_docx", "_xlsx", "_pdf", "docx", "xlsx", "_template", "template")
NOT_PAGES = {
    "logout",
    "set_language",
    "switch_town",
    "jsi18n",
    "duties:notify:badge",
    "duties:attachment",
    "hazards:photo",
    "accidents:attachment",
    "signoff:scan_file",
    "assessment:adjustment_file",
}

# (URL name or "*", axe rule id, a piece of the element's selector) axe may report and the test lets pass: none. The four kinds the first run found
# (the hazard list's filters, the accident's arrival inputs, the bell's name, the heatmap's scroll box) are fixed.
KNOWN: list[tuple[str, str, str]] = []

# Targets exempt from the 44-px rule (WCAG 2.5.5's "inline" exception): a link inside running text, i.e. an <a>
# whose nearest block ancestor (p, li, td, dd, …) holds words (a letter or a Chinese character, not just numbers or
# "·") besides its links and buttons — "共 3 条，<a>查看</a>"; "<a>上一页</a> 2/5 <a>下一页</a>" is a bar, not text.
# A link or button that stands alone in its cell, item or bar (sub-navigation, 录入/导出, table actions, pagination,
# the header) is a target and must be 44 px. Checkboxes and radios are inputs inside their labels, not counted.
TARGETS = "a[href], button, input[type=submit], input[type=button], input[type=reset], summary, [role=button]"
MEASURE = """(args) => {
  const [selector, size] = args;
  const acts = "a[href], button, input[type=submit], input[type=button], input[type=reset], summary, [role=button]";
  const inlineDisplay = (el) => getComputedStyle(el).display.startsWith("inline");
  function inRunningText(el) {
    if (el.tagName !== "A") return false;
    let block = el.parentElement;
    while (block && inlineDisplay(block) && block !== document.body) block = block.parentElement;
    if (!block) return false;
    const copy = block.cloneNode(true);
    copy.querySelectorAll(acts + ", script, style, template").forEach((n) => n.remove());
    return /\\p{L}/u.test(copy.textContent);
  }
  function name(el) {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").replace(/\\s+/g, " ").trim();
    const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const box = el.parentElement && el.parentElement.closest("nav, td, th, li, p, dd, dt, h1, h2, h3, h4, h5, h6, summary, label, form, section, div");
    const where = box ? box.tagName.toLowerCase() + (box.classList.length ? "." + [...box.classList].join(".") : "") + " > " : "";
    return `${where}${el.tagName.toLowerCase()}${cls} “${text.slice(0, 30)}”`;
  }
  const small = [];
  const measured = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.closest("details:not([open])") && el.tagName !== "SUMMARY") continue;
    if (inRunningText(el)) continue;
    if (box.height < size - 0.5 || box.width < size - 0.5) {
      small.push(`${name(el)} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    measured.push([el, box]);
  }
  // A 44-px box is no target if a neighbour's box covers part of it (Pico's negative margins stack nav links so).
  for (let i = 0; i < measured.length; i++) {
    const [a, p] = measured[i];
    for (let j = i + 1; j < measured.length; j++) {
      const [b, q] = measured[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 1 && h > 1) small.push(`${name(a)} overlaps ${name(b)} by ${Math.round(w)}×${Math.round(h)}`);
    }
  }
  return small;
}"""
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((r) => r.violations.map((v) => ({id: v.id, help: v.help,
     nodes: v.nodes.map((n) => ({target: n.target.join(" "), why: (n.failureSummary || "").split("\\n").slice(1, 2).join("")}))})))"""


def _view(url: str) -> str | None:
    """The URL name of a page of this site (None for anything that is not a page to check)."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    name = match.view_name
    if urlsplit(url).path.endswith((".xlsx", ".docx", ".pdf")):
        return None
    if name in NOT_PAGES or name.startswith(NOT_PAGES_PREFIX) or name.endswith(NOT_PAGES_SUFFIX):
        return None
    return name


LINKS = """[...document.querySelectorAll("a[href]")].filter((a) => !a.hasAttribute("download"))
  .map((a) => a.href.split("#")[0])"""
# What a page shows in <main>, without its per-session CSRF tokens: two roles' pages that show the same are checked
# once (the header, which names the user, is checked on each role's home).
MAIN = """(() => { const m = document.querySelector("main"); if (!m) return location.pathname;
  const c = m.cloneNode(true); c.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((i) => i.remove());
  return location.pathname + "\\n" + c.innerHTML; })()"""


def _known(view: str, rule: str, target: str) -> bool:
    return any(v in ("*", view) and r == rule and piece in target for v, r, piece in KNOWN)


def _settle(page: Any) -> None:
    """The page has loaded and the header's notification badge (an htmx fragment) has arrived."""
    page.wait_for_load_state("load")
    if page.locator("li.keep[hx-get]").count():
        page.wait_for_selector("li.keep a.bell", state="attached")


def _open_menus(page: Any) -> list[str]:
    """The header's folded section menu and account menu, opened on a phone: their links are targets too."""
    toggles = [
        t for t in ("label.menu-button", ".site-header details.dropdown summary") if page.is_visible(t)
    ]
    for toggle in toggles:
        page.click(toggle)
    header = ", ".join(f".site-header {t.strip()}" for t in TARGETS.split(","))
    found = [f"menus open: {s}" for s in page.evaluate(MEASURE, [header, TARGET])]
    for toggle in reversed(toggles):
        page.click(toggle)
    return found


def _check(page: Any, view: str, role: str, axe_found: list[str], small: list[str], home: bool) -> None:
    """axe at both sizes, the targets at 390 px (on the role's home also with the header's menus open)."""
    here = urlsplit(page.url)
    where = f"{role} {here.path}{'?' + here.query if here.query else ''}"
    for size, label in ((PHONE, "390"), (DESKTOP, "1280")):
        page.set_viewport_size(size)
        for v in page.evaluate(RUN_AXE, TAGS):
            nodes = [n for n in v["nodes"] if not _known(view, v["id"], n["target"])]
            for n in nodes[:5]:
                axe_found.append(f"{where} @{label}: {v['id']} {n['target']} — {n['why'] or v['help']}")
            if len(nodes) > 5:
                axe_found.append(f"{where} @{label}: {v['id']} and {len(nodes) - 5} more like it")
        if label == "390":
            small.extend(f"{where}: {s}" for s in page.evaluate(MEASURE, [TARGETS, TARGET]))
            if home:
                small.extend(f"{role} {s}" for s in _open_menus(page))
    page.set_viewport_size(PHONE)


def _crawl(
    page: Any, base: str, role: str, axe_found: list[str], small: list[str], checked: set[str]
) -> list[str]:
    """Visits every page the role reaches from its home; returns the URLs visited."""
    host = urlsplit(base).netloc
    start = page.url
    queue = [start]
    seen: set[str] = set()
    visited: list[str] = []
    while queue:
        url = queue.pop(0)
        view = _view(url)
        if view is None or view in seen:
            continue
        seen.add(view)
        if page.url != url:
            try:
                page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):  # a file to download, not a page
                    continue
                raise
        _settle(page)
        if page.evaluate("document.contentType") != "text/html":  # the regulation's source text: not a page
            continue
        visited.append(f"{view} {urlsplit(url).path}")
        main = page.evaluate(MAIN)
        if main not in checked or len(visited) == 1:
            checked.add(main)
            _check(page, view, role, axe_found, small, home=len(visited) == 1)
        links = page.evaluate(LINKS)
        for link in links:
            if urlsplit(link).netloc == host and link not in queue:
                queue.append(link)
    return visited


def test_every_page_each_role_reaches_is_accessible(browser: Any, live_server: Any) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `npm ci` installs axe-core (package.json devDependencies)")
    load_demo()
    axe_found: list[str] = []
    small: list[str] = []
    pages: dict[str, list[str]] = {}
    checked: set[str] = set()
    for role, username in ROLES:
        context = browser.new_context(locale="zh-CN", viewport=PHONE)
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, live_server.url, username, PASSWORD)
        pages[role] = _crawl(page, live_server.url, role, axe_found, small, checked)
        context.close()
    # The crawl reached the pages each role works on (so a broken link-finder cannot pass by checking nothing).
    for role, views in REACHES.items():
        missing = views - {v.split()[0] for v in pages[role]}
        assert not missing, f"{role} did not reach {missing}: {pages[role]}"
    report = []
    if axe_found:
        report += [f"{len(axe_found)} axe violations (WCAG 2.1 A/AA):", *axe_found]
    if small:
        report += [f"{len(small)} targets smaller than {TARGET}×{TARGET} px at 390 px:", *small]
    assert not report, "\n".join(report)
