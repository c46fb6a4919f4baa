// The accident figures: bars by grade, sector and village (ECharts). Data comes from the page's json_script
// block; no inline script (CSP).
(function () {
  "use strict";
  var source = document.getElementById("accident-figures");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function bars(id, title, pairs) {
    var holder = document.getElementById(id);
    if (!holder) { return; }
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      grid: { left: 40, right: 10, top: 40, bottom: 60 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: pairs.map(function (p) { return p[0]; }), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: pairs.map(function (p) { return p[1]; }), itemStyle: { color: "#8a1f1f" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    holder.dataset.ready = "1";
  }
  bars("chart-grades", "按事故等级", data.grades);
  bars("chart-sectors", "按行业领域", data.sectors);
  bars("chart-villages", "按嘎查村（社区）", data.villages);
})();
