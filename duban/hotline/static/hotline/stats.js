// Statistics charts: ECharts draws what the tables below them already show.
// Data comes from the json_script element "hotline-charts"; without JavaScript
// (or when a chart has no data) the tables are the whole page.
(function () {
  "use strict";
  var source = document.getElementById("hotline-charts");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var palette = ["#a8231c", "#e5a33a", "#6b7a8f", "#1f5fa8", "#1e7b3c", "#7b4fa3"];

  document.querySelectorAll(".chart[data-chart]").forEach(function (element) {
    var set = data[element.getAttribute("data-chart")];
    if (!set || !set.labels.length) {
      element.hidden = true;
      return;
    }
    var counts = (element.getAttribute("data-counts") || "").split(" ").filter(Boolean);
    var rates = (element.getAttribute("data-rates") || "").split(" ").filter(Boolean);
    var series = counts.map(function (name) {
      return { name: labels[name], type: "bar", data: set[name], yAxisIndex: 0 };
    }).concat(rates.map(function (name) {
      return { name: labels[name], type: "line", data: set[name], yAxisIndex: 1, connectNulls: true,
               tooltip: { valueFormatter: function (v) { return v == null ? "—" : v + "%"; } } };
    }));
    // Category labels (unit names, months) never overlap: tilted when they do not fit side by side, upright
    // and thinned out when even that is too tight (a phone), cut at 8 characters (the tooltip has them whole).
    var longest = Math.max.apply(null, set.labels.map(function (l) { return String(l).length; }).concat([1]));
    var room = (element.clientWidth - 96) / set.labels.length;
    var rotate = longest * 13 <= room ? 0 : (room >= 22 ? 45 : 90);
    var shown = Math.min(longest, 8) * 13;
    var bottom = rotate ? Math.round(shown * Math.sin(rotate * Math.PI / 180)) + 24 : 30;
    var axisLabel = {
      interval: room >= 15 ? 0 : "auto", rotate: rotate, hideOverlap: true,
      formatter: function (v) { v = String(v); return v.length > 8 ? v.slice(0, 7) + "…" : v; }
    };
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: palette,
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: element.clientWidth < 560 ? "scroll" : "plain" },  // one line on a phone, above the plot
      grid: { left: 48, right: 48, top: 40, bottom: bottom },
      xAxis: { type: "category", data: set.labels, axisLabel: axisLabel },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
      ],
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
