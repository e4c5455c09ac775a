/* KPI charts (Apache ECharts). No inline script: each chart is an element
 *   <div data-chart="line|bar|gauge" data-source="ID">
 * whose data sits in <script type="application/json" id="ID"> (Django's json_script).
 * The same numbers are in a table next to the chart, so the charts are aria-hidden. */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", system-ui, sans-serif';
  var INK = "#1f2328", MUTED = "#5f6670", LINE = "#d9dde3", ACCENT = "#a8231c", LINK = "#1f5fa8";
  var STATUS_COLOURS = {
    met: "#2e9a52", on_track: "#3b7dd8", at_risk: "#d99a1c", missed: "#c8372d", no_data: "#9aa1aa"
  };

  function fmt(value) {
    if (value === null || value === undefined) { return "—"; }
    return String(Math.round(value * 100) / 100);
  }

  function withUnit(value, unit) {
    if (!unit) { return fmt(value); }
    return unit === "%" ? fmt(value) + "%" : fmt(value) + " " + unit;
  }

  // The y range must show the target and baseline lines, not only the reported values,
  // with round ticks: about five steps of 1, 2 or 5 times a power of ten.
  function yRange(data) {
    var points = data.values.filter(function (v) { return v !== null; });
    [data.target, data.baseline].forEach(function (v) { if (v !== null && v !== undefined) { points.push(v); } });
    if (!points.length) { return {}; }
    var lo = Math.min.apply(null, points), hi = Math.max.apply(null, points);
    var raw = ((hi - lo) || Math.abs(hi) || 1) / 5;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    var min = Math.floor((lo - step / 2) / step) * step, max = Math.ceil((hi + step / 2) / step) * step;
    if (lo >= 0 && min < 0) { min = 0; }
    if (data.unit === "%" && hi <= 100 && max > 100) { max = 100; }
    var round = function (v) { return Number(v.toPrecision(8)); };
    return { min: round(min), max: round(max), interval: round(step) };
  }

  function line(data) {
    var range = yRange(data);
    var marks = [{
      name: data.targetLabel, yAxis: data.target,
      lineStyle: { color: ACCENT, width: 2, type: "dashed" },
      label: { formatter: data.targetLabel, position: "insideEndTop", color: ACCENT, fontWeight: "bold", fontFamily: FONT, fontSize: 13 }
    }];
    if (data.baseline !== null && data.baseline !== undefined) {
      marks.push({
        name: data.baselineLabel, yAxis: data.baseline,
        lineStyle: { color: MUTED, width: 1, type: "dotted" },
        label: { formatter: data.baselineLabel, position: "insideStartTop", color: MUTED, fontFamily: FONT }
      });
    }
    return {
      textStyle: { fontFamily: FONT, color: INK },
      grid: { left: 64, right: 32, top: 40, bottom: 40 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return withUnit(v, data.unit); } },
      legend: { data: [data.seriesLabel], top: 6, textStyle: { fontFamily: FONT } },
      xAxis: { type: "category", data: data.periods, boundaryGap: true, axisLabel: { fontFamily: FONT } },
      yAxis: {
        type: "value", min: range.min, max: range.max, interval: range.interval, splitLine: { lineStyle: { color: LINE } },
        axisLabel: { fontFamily: FONT, formatter: function (v) { return withUnit(v, data.unit === "%" ? "%" : ""); } },
        name: data.unit === "%" ? "" : data.unit, nameTextStyle: { fontFamily: FONT, color: MUTED }
      },
      series: [{
        name: data.seriesLabel, type: "line", data: data.values, connectNulls: true, symbolSize: 9,
        lineStyle: { color: LINK, width: 3 }, itemStyle: { color: LINK },
        label: { show: true, position: "top", fontFamily: FONT, formatter: function (p) { return withUnit(p.value, data.unit); } },
        markLine: { symbol: "none", silent: true, data: marks }
      }]
    };
  }

  function bar(data) {
    var items = data.items.slice().reverse(); // ECharts draws the first category at the bottom
    return {
      textStyle: { fontFamily: FONT, color: INK },
      grid: { left: 8, right: 56, top: 16, bottom: 28, containLabel: true },
      tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + fmt(p.value) + "%"; } },
      xAxis: { type: "value", min: 0, max: 100, name: data.label, nameLocation: "middle", nameGap: 22,
               nameTextStyle: { fontFamily: FONT, color: MUTED }, splitLine: { lineStyle: { color: LINE } } },
      yAxis: { type: "category", data: items.map(function (i) { return i.name; }),
               axisLabel: { fontFamily: FONT, width: 180, overflow: "truncate" } },
      series: [{
        type: "bar", barMaxWidth: 22, cursor: "pointer",
        data: items.map(function (i) {
          return { value: i.value === null ? 0 : i.value, url: i.url, itemStyle: { color: STATUS_COLOURS[i.status] || MUTED } };
        }),
        label: { show: true, position: "right", fontFamily: FONT, formatter: function (p) {
          return items[p.dataIndex].value === null ? "—" : fmt(p.value) + "%";
        } }
      }]
    };
  }

  function gauge(data) {
    var value = data.value === null ? 0 : data.value;
    var colour = data.value === null ? MUTED : value >= 90 ? STATUS_COLOURS.met : value >= 60 ? STATUS_COLOURS.at_risk : STATUS_COLOURS.missed;
    return {
      textStyle: { fontFamily: FONT },
      series: [{
        type: "gauge", min: 0, max: 100, splitNumber: 5, radius: "88%", center: ["50%", "55%"],
        progress: { show: true, width: 16, itemStyle: { color: colour } },
        axisLine: { lineStyle: { width: 16, color: [[1, "#eceef1"]] } },
        pointer: { show: false }, anchor: { show: false },
        axisTick: { show: false }, splitLine: { length: 8, distance: -16, lineStyle: { color: "#fff", width: 2 } },
        axisLabel: { distance: 22, color: MUTED, fontSize: 11 },
        title: { offsetCenter: [0, "30%"], fontFamily: FONT, fontSize: 14, color: MUTED },
        detail: { offsetCenter: [0, "-5%"], fontSize: 30, fontWeight: "bold", fontFamily: FONT, color: INK,
                  formatter: function (v) { return data.value === null ? data.empty : fmt(v) + "%"; } },
        data: [{ value: value, name: data.label }]
      }]
    };
  }

  var BUILDERS = { line: line, bar: bar, gauge: gauge };

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-source"));
    var build = BUILDERS[element.getAttribute("data-chart")];
    if (!source || !build) { return; }
    var data = JSON.parse(source.textContent);
    var bars = element.getAttribute("data-bars");
    if (bars) {
      // A bar chart grows with its bars. Set through the CSSOM: the CSP forbids style="" attributes.
      element.style.height = Math.max(12, 4 + Number(bars) * 2.1) + "rem";
    }
    // SVG keeps the text as text: sharp when zoomed, and findable in the page.
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(build(data));
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-drawn", "true");
  }

  function start() {
    if (!window.echarts) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
