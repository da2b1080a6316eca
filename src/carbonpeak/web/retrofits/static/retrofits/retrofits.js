// The retrofit project page's charts: baseline fit, reporting period (observed against adjusted baseline),
// cumulative savings with the uncertainty band. Data comes from json_script blocks; no HTML is built.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var source = document.getElementById("retrofit-chart");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var labels = JSON.parse(document.getElementById("retrofit-labels").textContent);
  function line(el, x, series) {
    var node = document.getElementById(el);
    if (!node) { return; }
    var chart = window.echarts.init(node);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 60, right: 16, top: 16, bottom: 48 },
      xAxis: { type: "category", data: x },
      yAxis: { type: "value", name: "kWh" },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    node.setAttribute("data-rendered", String(x.length));
  }
  var b = data.baseline, r = data.reporting;
  line("baseline-chart", b.x, [
    { type: "line", name: labels.observed, data: b.observed, showSymbol: false, connectNulls: false },
    { type: "line", name: labels.fitted, data: b.fitted, showSymbol: false }
  ]);
  line("reporting-chart", r.x, [
    { type: "line", name: labels.observed, data: r.observed, showSymbol: false },
    { type: "line", name: labels.adjusted, data: r.adjusted, showSymbol: false }
  ]);
  var lower = r.lower, width = r.upper.map(function (u, i) { return u === null ? null : u - lower[i]; });
  line("cumulative-chart", r.x, [
    { type: "line", name: labels.band, data: lower, stack: "band", lineStyle: { opacity: 0 }, showSymbol: false },
    { type: "line", name: labels.band, data: width, stack: "band", lineStyle: { opacity: 0 },
      areaStyle: { color: "#90caf9", opacity: 0.5 }, showSymbol: false },
    { type: "line", name: labels.cumulative, data: r.cumulative, showSymbol: false, lineStyle: { width: 2 } }
  ]);
});
