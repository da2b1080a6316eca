// Target chart: actual values, the trajectory, the target and the forecast (ECharts, served locally).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("target-chart");
  if (!el || !window.echarts) { return; }
  var data = JSON.parse(document.getElementById("target-chart-data").textContent);
  var labels = JSON.parse(document.getElementById("target-chart-labels").textContent);
  var series = [
    { type: "line", name: labels.actual, data: data.actual, connectNulls: true, symbolSize: 8 },
    { type: "scatter", name: labels.target, data: data.target, symbol: "diamond", symbolSize: 14 },
    { type: "scatter", name: labels.forecast, data: data.forecast, symbol: "triangle", symbolSize: 12 }
  ];
  if (data.trajectory.length) {
    series.splice(1, 0, { type: "line", name: labels.trajectory, data: data.trajectory,
                          lineStyle: { type: "dashed" }, showSymbol: false, connectNulls: true });
  }
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 60, right: 20, top: 30, bottom: 60 },
    xAxis: { type: "category", data: data.years.map(String) },
    yAxis: { type: "value", name: data.unit, scale: true },
    series: series
  });
  el.dataset.rendered = "true";
  window.addEventListener("resize", function () { chart.resize(); });
});
