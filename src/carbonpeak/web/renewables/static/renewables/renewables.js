// PV installations and charging sites on the district map: ECharts scatter on lon/lat, offline (no tiles).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var el = document.getElementById("renewables-points");
  var chart = document.getElementById("renewables-map");
  if (!el || !chart) { return; }
  var points = JSON.parse(el.textContent);
  var en = document.documentElement.lang === "en";
  var esc = window.echarts.format.encodeHTML;  // names come from imported files: never raw HTML
  function layer(key, name, colour) {
    return { type: "scatter", name: name, itemStyle: { color: colour, opacity: 0.8 },
      symbolSize: function (v) { return Math.max(6, Math.min(24, Math.sqrt(v[2]) * 2)); },
      data: points.filter(function (p) { return p.layer === key; }).map(function (p) {
        return { value: [p.lon, p.lat, p.size], name: p.id + " " + p.name, label: p.label };
      }) };
  }
  var map = window.echarts.init(chart);
  map.setOption({
    tooltip: { formatter: function (p) { return esc(p.data.name) + "<br>" + esc(p.data.label); } },
    legend: { bottom: 0 },
    xAxis: { type: "value", scale: true, name: "lon" }, yAxis: { type: "value", scale: true, name: "lat" },
    series: [layer("pv", en ? "PV (kWp)" : "光伏 (kWp)", "#e0a100"),
             layer("chargers", en ? "Chargers (fast + slow)" : "充电桩 (快充 + 慢充)", "#1565c0")]
  });
  chart.dataset.rendered = String(points.length);
});
