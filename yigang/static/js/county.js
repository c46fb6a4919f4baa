// The county view: towns side by side (ECharts). Data comes from the page's json_script block; no inline script (CSP).
(function () {
  "use strict";
  var source = document.getElementById("county-figures");
  var holder = document.getElementById("chart-county");
  if (!source || !holder || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  var keys = ["open", "overdue", "accidents"];
  var series = keys.map(function (k) { return { name: data.labels[k], type: "bar", data: data[k] }; });
  series.push({ name: data.labels.rate, type: "line", yAxisIndex: 1, data: data.rate, connectNulls: false });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 40, right: 40, top: 50, bottom: 60 },
    xAxis: { type: "category", data: data.towns, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100 }],
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
  holder.dataset.ready = "1";
})();
