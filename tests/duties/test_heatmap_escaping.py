"""The heatmap's tooltip is HTML: every value it shows is escaped (issue 9.6). Unit and post names once reached
it unescaped; CSP stopped a script, but markup rendered.

heatmap.js runs here under Node with a stand-in for the page and for ECharts (whose `encodeHTML` is copied
from ECharts 5); the browser test (tests/browser/test_duties_browser.py) hovers the real chart.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "yigang" / "static" / "js" / "heatmap.js"
HOSTILE = '<img src=x onerror=alert(1)><b id="injected">粗体</b>'

HARNESS = """
const fs = require("fs");
const data = JSON.parse(process.argv[2]);
let option = null;
const holder = { style: {}, dataset: {} };
global.document = {
  getElementById: (id) => (id === "heatmap" ? holder : { textContent: JSON.stringify(data) }),
  querySelectorAll: () => [], // the legend's swatches (none here: the tooltip is what is checked)
};
global.window = { addEventListener: () => {} };
const map = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
global.echarts = {
  init: () => ({ setOption: (o) => { option = o; }, resize: () => {} }),
  format: { encodeHTML: (s) => (s == null ? "" : String(s)).replace(/[&<>"']/g, (c) => map[c]) },
};
eval(fs.readFileSync(process.argv[1], "utf8"));
process.stdout.write(option.tooltip.formatter({ value: [0, 0, 0] }));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed (make run needs it)")
def test_every_value_in_the_tooltip_is_escaped() -> None:
    data = {
        "year": 2025,
        "months": [f"{HOSTILE}1月"],
        "posts": [f"{HOSTILE}应急站 负责人"],
        "cells": [[0, 0, 0]],
        "details": {"0,0": [f"2025年1月 检查（{HOSTILE}）巴图：0/1 未完成"]},
        "statuses": [{"label": "未完成", "color": "#d9534f"}],
    }
    result = subprocess.run(
        ["node", "-e", HARNESS, str(SCRIPT), json.dumps(data)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    html = result.stdout
    assert "<img" not in html and "<b id" not in html  # no markup of ours but the <b> and <br> we write
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 3  # post, month and detail line, all escaped
    assert html.startswith("<b>") and "<br>" in html
