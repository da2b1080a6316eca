// Building charts: hourly load by sub-metering category, monthly bars, and the district map.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  var en = document.documentElement.lang === "en";
  var profile = data("profile-data");
  if (profile) {
    var load = window.echarts.init(document.getElementById("load-chart"));
    load.setOption({
      tooltip: { trigger: "axis" }, legend: { bottom: 0, type: "scroll" }, grid: { left: 60, right: 20, top: 20, bottom: 70 },
      xAxis: { type: "category", data: profile.hours }, yAxis: { type: "value", name: "kWh" },
      series: profile.series.map(function (s) {
        return { type: "line", stack: "load", areaStyle: {}, symbol: "none", name: en ? s.name_en : s.name, data: s.data };
      }).concat((profile.virtual || []).map(function (v) {  // computed from member meters: dashed, not stacked
        return { type: "line", symbol: "none", lineStyle: { type: "dashed", width: 2 }, name: v.meter, data: v.data };
      })).concat((profile.generation || []).map(function (g) {  // on-site generation is not load: dotted, not stacked
        return { type: "line", symbol: "none", lineStyle: { type: "dotted", width: 2 }, name: g.meter + " (PV)", data: g.data };
      }))
    });
    document.getElementById("load-chart").dataset.generation = String((profile.generation || []).length);
    document.getElementById("load-chart").dataset.rendered = String(profile.series.length);
    document.getElementById("load-chart").dataset.virtual = String((profile.virtual || []).length);
    var monthly = data("monthly-data");
    var bars = window.echarts.init(document.getElementById("monthly-chart"));
    bars.setOption({
      tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 70, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: monthly.months.map(String) }, yAxis: { type: "value" },
      series: monthly.series.map(function (s) { return { type: "bar", name: s.energy_class + " (" + s.unit + ")", data: s.data }; })
    });
  }
  var points = data("map-data");
  if (points) {
    var colour = { over_constraint: "#b3261e", over_guide: "#b26a00", within_guide: "#1d7a57", no_quota: "#9aa6ab" };
    var shapes = [];
    points.forEach(function (p) { (p.rings || []).forEach(function (ring) { shapes.push({ point: p, ring: ring }); }); });
    var map = window.echarts.init(document.getElementById("map-chart"));
    map.setOption({
      tooltip: { formatter: function (p) {
        var esc = window.echarts.format.encodeHTML;  // building names come from imported files: never raw HTML
        return esc(p.data.name) + "<br>" + esc(p.data.status) + (p.data.eui ? "<br>" + p.data.eui.toFixed(2) + " kgce/m²" : "");
      } },
      xAxis: { type: "value", scale: true, name: "lon" }, yAxis: { type: "value", scale: true, name: "lat" },
      series: [{ type: "scatter", symbolSize: 9, data: points.filter(function (p) { return !(p.rings || []).length; }).map(function (p) {
        return { value: [p.lon, p.lat], name: p.id + " " + p.name, status: p.status, eui: p.eui, itemStyle: { color: colour[p.status] } };
      }) }, {
        // buildings with a GeoJSON footprint are drawn as their outline, filled by status
        type: "custom", data: shapes.map(function (s, i) { return { value: s.ring[0], name: s.point.id + " " + s.point.name, status: s.point.status, eui: s.point.eui, index: i }; }),
        renderItem: function (params, api) {
          var s = shapes[params.dataIndex];
          return { type: "polygon", shape: { points: s.ring.map(function (c) { return api.coord(c); }) },
                   style: { fill: colour[s.point.status], stroke: "#263238", lineWidth: 0.5, opacity: 0.85 } };
        }
      }]
    });
    document.getElementById("map-chart").dataset.rendered = String(points.length);
    document.getElementById("map-chart").dataset.footprints = String(shapes.length);
  }
});
