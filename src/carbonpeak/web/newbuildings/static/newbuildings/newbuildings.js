// New-building charts (ECharts, served locally): stacked bars by life-cycle stage for each variant, the
// material Pareto of the first variant, two variants side by side, and the district's ratings by year.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = window.echarts.init(el);
    chart.setOption(option);
    el.setAttribute("data-rendered", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var t = document.documentElement.lang === "en" ? "tCO2e" : "吨二氧化碳当量";
  var grid = { left: 60, right: 30, top: 50, bottom: 60, containLabel: true };
  var lca = data("nb-lca-chart");
  if (lca && lca.variants.length) {
    var stages = Object.keys(lca.stage_labels);
    draw("nb-stages", {
      tooltip: { trigger: "axis" }, legend: { type: "scroll" }, grid: grid,
      xAxis: { type: "category", data: lca.variants }, yAxis: { type: "value", name: t },
      series: stages.map(function (s) {
        return { type: "bar", stack: "total", name: lca.stage_labels[s],
          data: lca.per_variant.map(function (v) { return v.stages[s]; }) };
      })
    });
    var first = lca.per_variant[0];
    draw("nb-pareto", {
      tooltip: { trigger: "axis" }, grid: grid,
      xAxis: { type: "category", data: first.materials, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: [{ type: "value", name: t }, { type: "value", name: "%", max: 100 }],
      series: [
        { type: "bar", name: t, data: first.material_t },
        { type: "line", name: "%", yAxisIndex: 1, data: first.cumulative_pct }
      ]
    });
  }
  var cmp = data("nb-compare-chart");
  if (cmp && cmp.stages) {
    draw("nb-compare", {
      tooltip: { trigger: "axis" }, legend: {}, grid: grid,
      xAxis: { type: "category", data: cmp.stages,
        axisLabel: { interval: 0, rotate: window.innerWidth < 600 ? 30 : 0 } },
      yAxis: { type: "value", name: t },
      series: [{ type: "bar", name: cmp.names[0], data: cmp.a }, { type: "bar", name: cmp.names[1], data: cmp.b }]
    });
  }
  var ratings = data("nb-ratings-chart");
  if (ratings && ratings.years.length) {
    draw("nb-ratings", {
      tooltip: { trigger: "axis" }, legend: { type: "scroll" }, grid: grid,
      xAxis: { type: "category", data: ratings.years }, yAxis: { type: "value", minInterval: 1 },
      series: ratings.series.map(function (s) { return { type: "bar", stack: "n", name: s.name, data: s.counts }; })
    });
  }
});
