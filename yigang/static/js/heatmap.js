// The post × month heatmap (ECharts). Data comes from the page's json_script block; no inline script (CSP).
// Not colour alone: each cell carries its status's symbol, in the colour chosen to read on it (duties/heatmap.py).
(function () {
  "use strict";
  var holder = document.getElementById("heatmap");
  var source = document.getElementById("heatmap-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  holder.style.height = Math.max(420, 60 + data.posts.length * 28) + "px";
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  // The tooltip is HTML: every value it shows (post and unit names, months, detail lines) is escaped.
  var esc = function (value) { return echarts.format.encodeHTML(String(value == null ? "" : value)); };
  chart.setOption({
    animation: false,
    grid: { left: 240, right: 20, top: 20, bottom: 30 },
    tooltip: {
      position: "top",
      formatter: function (p) {
        var lines = data.details[p.value[0] + "," + p.value[1]] || [];
        return "<b>" + esc(data.posts[p.value[1]]) + " · " + esc(data.months[p.value[0]]) + "</b><br>" +
          lines.map(esc).join("<br>");
      }
    },
    xAxis: { type: "category", data: data.months, splitArea: { show: false } },
    yAxis: { type: "category", data: data.posts, inverse: true, axisLabel: { width: 230, overflow: "truncate" } },
    visualMap: {
      type: "piecewise", show: false, // the legend is the page's own <ul class="legend">, which wraps on a phone
      pieces: data.statuses.map(function (s, i) { return { value: i, label: s.label, color: s.color }; })
    },
    series: [{
      type: "heatmap",
      data: data.cells.map(function (c) { return { value: c, label: { color: data.statuses[c[2]].text } }; }),
      label: { show: true, fontSize: 14, fontWeight: "bold", formatter: function (p) { return data.statuses[p.value[2]].symbol; } },
      itemStyle: { borderColor: data.border, borderWidth: 2 }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  Array.prototype.forEach.call(document.querySelectorAll(".legend .swatch[data-color]"), function (swatch) {
    swatch.style.backgroundColor = swatch.dataset.color; // CSSOM, not a style attribute: the CSP allows it
    swatch.style.color = swatch.dataset.text;
  });
  holder.dataset.ready = "1";
})();
