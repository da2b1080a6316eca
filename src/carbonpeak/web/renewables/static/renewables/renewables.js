// PV installations and charging sites on the district map, offline (no tiles): the buildings' GeoJSON
// footprints are registered as an ECharts map and the points drawn on it; without footprints, a scatter on
// lon/lat axes.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var el = document.getElementById("renewables-points");
  var chart = document.getElementById("renewables-map");
  if (!el || !chart) { return; }
  var points = JSON.parse(el.textContent);
  var shapes = document.getElementById("renewables-footprints");
  var footprints = shapes ? JSON.parse(shapes.textContent) : { type: "FeatureCollection", features: [] };
  var onMap = footprints.features.length > 0;
  var en = document.documentElement.lang === "en";
  var esc = window.echarts.format.encodeHTML;  // names come from imported files: never raw HTML
  var layers = [
    ["pv", en ? "PV (kWp)" : "光伏 (kWp)", "#e0a100"],
    ["chargers", en ? "Chargers (fast + slow)" : "充电桩 (快充 + 慢充)", "#1565c0"]
  ];
  var series = layers.map(function (l) {
    return { key: l[0], name: l[1], colour: l[2], data: points.filter(function (p) { return p.layer === l[0]; }) };
  }).filter(function (s) { return s.data.length > 0; }).map(function (s) {
    var out = { type: "scatter", name: s.name, itemStyle: { color: s.colour, opacity: 0.8 },
      symbolSize: function (v) { return Math.max(6, Math.min(24, Math.sqrt(v[2]) * 2)); },
      data: s.data.map(function (p) {
        return { value: [p.lon, p.lat, p.size], name: p.id + " " + p.name, label: p.label };
      }) };
    if (onMap) { out.coordinateSystem = "geo"; }
    return out;
  });
  var option = {
    tooltip: { formatter: function (p) {
      return p.data && p.data.label !== undefined ? esc(p.data.name) + "<br>" + esc(p.data.label) : esc(p.name);
    } },
    legend: { bottom: 0 },
    series: series
  };
  if (onMap) {
    window.echarts.registerMap("renewables-district", footprints);
    option.geo = { map: "renewables-district", roam: true,
      itemStyle: { areaColor: "#eceff1", borderColor: "#90a4ae" }, emphasis: { label: { show: false } } };
  } else {
    option.xAxis = { type: "value", scale: true, name: "lon" };
    option.yAxis = { type: "value", scale: true, name: "lat" };
  }
  var map = window.echarts.init(chart);
  map.setOption(option);
  chart.dataset.footprints = String(footprints.features.length);
  chart.dataset.rendered = String(points.length);
});
