// Home-page chart: electricity emission factors by series (ECharts, served locally).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("electricity-chart");
  if (!el || !window.echarts) { return; }
  var data = JSON.parse(document.getElementById("electricity-chart-data").textContent);
  var labels = JSON.parse(document.getElementById("electricity-chart-labels").textContent);
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 30, bottom: 60 },
    xAxis: { type: "category", data: data.years.map(String) },
    yAxis: { type: "value", name: labels.unit, min: 0.3 },
    series: data.series.map(function (s) {
      var place = labels.english ? s.region_en : s.region_zh;
      var name = s["default"] ? place + " " + labels["default"] + (s.document_no ? " (" + s.document_no + ")" : "")
                              : (labels[s.series] || s.series) + " · " + place;
      return { type: "line", name: name, data: s.data, lineStyle: s["default"] ? { type: "dashed", width: 3 } : {} };
    })
  });
  el.dataset.rendered = "true";
  window.addEventListener("resize", function () { chart.resize(); });
});
