// Inventory charts: CO2 stacked by sector and year; energy intensity against the target path.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var data = JSON.parse(document.getElementById("inventory-chart-data").textContent);
  var labels = JSON.parse(document.getElementById("inventory-chart-labels").textContent);
  var years = data.years.map(String);
  var stacked = window.echarts.init(document.getElementById("inventory-stacked"));
  stacked.setOption({
    tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 70, right: 20, top: 20, bottom: 60 },
    xAxis: { type: "category", data: years }, yAxis: { type: "value" },
    series: data.stacked.map(function (s) {
      return { type: "bar", stack: "co2", name: labels.lang === "en" ? s.name_en : s.name, data: s.co2_t };
    })
  });
  var line = window.echarts.init(document.getElementById("inventory-intensity"));
  var target = years.map(function (y) {
    var i = data.trajectory_years.indexOf(Number(y)); return i < 0 ? null : data.trajectory[i];
  });
  line.setOption({
    tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 60, right: 20, top: 20, bottom: 60 },
    xAxis: { type: "category", data: years }, yAxis: { type: "value", scale: true },
    series: [
      { type: "line", name: labels.actual, data: data.intensity },
      { type: "line", name: labels.target, data: target, lineStyle: { type: "dashed" }, connectNulls: false }
    ]
  });
  document.getElementById("inventory-stacked").dataset.rendered = "true";
  window.addEventListener("resize", function () { stacked.resize(); line.resize(); });
});
