// The county view in a picture (ECharts): each town's duty completion against its overdue hazards, one pair of bars
// a town, in the table's order (the page's sort links sort both). Tapping a town's bars or its name opens its page.
// Data comes from the page's json_script block (the table's own rows); no inline script (CSP).
(function () {
  "use strict";
  var source = document.getElementById("county-figures");
  var holder = document.getElementById("chart-county");
  if (!source || !holder || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var towns = data.towns;
  // One band of two bars a town; the labels sit on the bars, so a phone needs no hover to read the values.
  holder.style.height = Math.max(200, 90 + towns.length * 56) + "px";
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  var names = towns.map(function (t) { return t.name; });
  var esc = function (value) { return echarts.format.encodeHTML(String(value == null ? "" : value)); };
  var rate = function (t) { return t.rate == null ? "—" : t.rate + "%"; };
  chart.setOption({
    animation: false,
    // Both colours reach 3:1 against the white page (WCAG 1.4.11); the values are written on the bars too.
    color: ["#1f6a2e", "#b3261e"],
    legend: { top: 0, left: 0, itemGap: 16, data: [data.labels.rate, data.labels.overdue] },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      confine: true,
      formatter: function (items) {
        var t = towns[items[0].dataIndex];
        return "<b>" + esc(t.name) + "</b><br>" + esc(data.labels.rate) + "：" + esc(rate(t)) + "<br>" +
          esc(data.labels.overdue) + "：" + esc(t.overdue) + "<br>" + esc(data.labels.open) + "：" + esc(t.open) +
          "<br>" + esc(data.labels.coverage) + "：" + esc(t.coverage);
      }
    },
    grid: { left: 8, right: 44, top: 56, bottom: 28, containLabel: true },
    yAxis: {
      type: "category", data: names, inverse: true, triggerEvent: true,
      axisLabel: { width: 96, overflow: "truncate", color: "#333", fontSize: 13 }
    },
    xAxis: [
      { type: "value", min: 0, max: 100, position: "top", axisLabel: { formatter: "{value}%", color: "#1f6a2e" } },
      { type: "value", min: 0, minInterval: 1, position: "bottom", splitLine: { show: false }, axisLabel: { color: "#b3261e" } }
    ],
    series: [
      {
        name: data.labels.rate, type: "bar", xAxisIndex: 0, barMaxWidth: 18, cursor: "pointer",
        data: towns.map(function (t) { return t.rate == null ? 0 : t.rate; }),
        label: { show: true, position: "right", color: "#1f6a2e",
          formatter: function (p) { var t = towns[p.dataIndex]; return t.rate == null ? data.labels.none : rate(t); } }
      },
      {
        name: data.labels.overdue, type: "bar", xAxisIndex: 1, barMaxWidth: 18, cursor: "pointer",
        data: towns.map(function (t) { return t.overdue; }),
        label: { show: true, position: "right", color: "#b3261e" }
      }
    ]
  });
  chart.on("click", function (p) {
    var at = p.componentType === "series" ? p.dataIndex : names.indexOf(p.value);
    if (at >= 0 && towns[at]) { window.location.href = towns[at].url; }
  });
  window.addEventListener("resize", function () { chart.resize(); });
  holder.dataset.ready = "1";
})();
