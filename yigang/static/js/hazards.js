// Hazard pages (no inline script: CSP). The statistics charts (ECharts, data from json_script), and on the
// report form a client key per page load (so a retried submission is one hazard) and "use my location".
(function () {
  "use strict";
  var key = document.querySelector("input[name=client_key]");
  if (key && !key.value) {
    key.value = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }
  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      });
    });
  }
  var source = document.getElementById("hazard-stats");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var shown = ["found", "closed", "closed_on_time", "overdue", "major"];
  function bars(id, categories, values, horizontal) {
    var holder = document.getElementById(id);
    if (!holder || !categories.length) { if (holder) { holder.style.display = "none"; } return; }
    if (horizontal) { holder.style.height = Math.max(340, 80 + categories.length * 26) + "px"; }
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    var cat = { type: "category", data: categories, inverse: !!horizontal, axisLabel: { width: 110, overflow: "truncate" } };
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: horizontal ? 120 : 40, right: 16, top: 40, bottom: 30 },
      xAxis: horizontal ? { type: "value", minInterval: 1 } : cat,
      yAxis: horizontal ? cat : { type: "value", minInterval: 1 },
      series: shown.map(function (k) { return { name: data.labels[k], type: "bar", data: values[k] }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    holder.dataset.ready = "1";
  }
  bars("chart-quarter", data.quarters, data.by_quarter, false);
  bars("chart-sector", data.sectors, data.by_sector, true);
  bars("chart-village", data.villages, data.by_village, true);
})();
