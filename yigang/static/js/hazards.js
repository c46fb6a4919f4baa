// Hazard pages (no inline script: CSP). The statistics charts (ECharts, data from json_script), and on the
// report form a client key per page load (so a retried submission is one hazard) and "use my location".
(function () {
  "use strict";
  var key = document.querySelector("input[name=client_key]");
  if (key && !key.value) {
    key.value = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }
  var locate = document.getElementById("locate");
  var located = document.getElementById("located");
  function say(text) { if (located) { located.textContent = text; } }
  if (locate) {
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { say("此浏览器不能定位，请手工填写经纬度。"); return; }
      say("正在定位…");
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
        say("已填入当前位置。");
      }, function () {
        say("未能定位（可能未允许使用位置），请手工填写经纬度。");
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  // The sticky 上报 button must never cover the field being typed in (a phone's small screen): scroll the
  // focused field above it.
  var sticky = document.querySelector(".report-form .submit-bottom");
  if (sticky) {
    document.querySelector(".report-form").addEventListener("focusin", function (event) {
      var field = event.target;
      if (field === sticky) { return; }
      window.requestAnimationFrame(function () {
        var covered = field.getBoundingClientRect().bottom - sticky.getBoundingClientRect().top;
        if (covered > -8) { window.scrollBy(0, covered + 16); }
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
