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
    var cut = function (v) { v = String(v); return v.length > 8 ? v.slice(0, 7) + "…" : v; };
    var category = { type: "category", data: set.labels, axisTick: { alignWithLabel: true } };
    var values = [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
    ];
    var rows = element.getAttribute("data-layout") === "rows";
    if (rows) {
      // Units: one row each, the name on the y axis (cut at 8 characters, whole in the tooltip). Names stand
      // a row (28 px) apart, twice a line of text: they cannot overlap however many units there are, and the
      // chart grows with them.
      element.style.height = Math.max(240, set.labels.length * 28 + 110) + "px";
      category.inverse = true;  // the table's order, top to bottom
      category.axisLabel = { interval: 0, formatter: cut };
      values[1].position = "top";
      series.forEach(function (s) { s.xAxisIndex = s.yAxisIndex; delete s.yAxisIndex; });
    } else {
      // Months: every label shown, tilted when they do not fit side by side and upright when even that is too
      // tight (a phone); upright labels stand one line (≥ 16 px) apart.
      var longest = Math.max.apply(null, set.labels.map(function (l) { return cut(l).length; }).concat([1]));
      var room = (element.clientWidth - 96) / set.labels.length;
      category.axisLabel = { interval: 0, formatter: cut, rotate: longest * 13 <= room ? 0 : (room >= 22 ? 45 : 90) };
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      animation: false,
      tooltip: { trigger: "axis", confine: true, axisPointer: { type: rows ? "shadow" : "line" } },  // kept on screen
      legend: { top: 0, type: element.clientWidth < 560 ? "scroll" : "plain" },  // one line on a phone, above the plot
      // containLabel: the grid makes room for the axis labels, whatever their length, instead of guessing it.
      grid: { left: 8, right: rows ? 24 : 8, top: rows ? 36 : 40, bottom: 8, containLabel: true },
      xAxis: rows ? values : category,
      yAxis: rows ? category : values,
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
