// The district map (一张图), offline: the district outline is registered as an ECharts map (no tiles);
// polygons are drawn as custom series on its geo coordinates, lines as polylines, points as scatter.
// Clicking a station lists its nearest bus stops and their distances (computed on the server in metres).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("spatial-data");
  var chart = document.getElementById("spatial-map");
  if (!window.echarts || !el || !chart) { return; }
  var data = JSON.parse(el.textContent);
  var L = JSON.parse(document.getElementById("spatial-labels").textContent);
  var esc = window.echarts.format.encodeHTML;  // names come from imported files: never raw HTML
  var layers = data.layers;
  var outline = data.outline.features.length ? data.outline : null;
  if (!outline) { chart.dataset.rendered = "0"; return; }

  function polys(geometry) {
    // each polygon as [outer ring, inner rings...]
    if (!geometry) { return []; }
    if (geometry.type === "Polygon") { return [geometry.coordinates]; }
    if (geometry.type === "MultiPolygon") { return geometry.coordinates; }
    if (geometry.type === "GeometryCollection") {
      return geometry.geometries.reduce(function (a, g) { return a.concat(polys(g)); }, []);
    }
    return [];
  }
  function polygons(name, fc, fill, stroke, z, innerFill) {
    var items = [];
    fc.features.forEach(function (f) {
      polys(f.geometry).forEach(function (p) { items.push({ name: f.properties.name || f.properties.id || "", rings: p }); });
    });
    return {
      type: "custom", name: name, coordinateSystem: "geo", z: z, itemStyle: { color: fill === "rgba(0,0,0,0)" ? stroke : fill },
      data: items.map(function (it, i) { return { value: i, name: it.name }; }),
      renderItem: function (params, api) {
        var rs = items[params.dataIndex].rings;
        var shape = function (ring, colour) {
          return { type: "polygon", shape: { points: ring.map(function (c) { return api.coord(c); }) },
            style: { fill: colour, stroke: stroke, lineWidth: 1 } };
        };
        var children = [shape(rs[0], fill)];
        if (innerFill) { rs.slice(1).forEach(function (r) { children.push(shape(r, innerFill)); }); }
        return { type: "group", children: children };
      }
    };
  }
  function lines(name, fc, colour, width, z) {
    var out = [];
    fc.features.forEach(function (f) {
      var g = f.geometry;
      var parts = g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : [];
      parts.forEach(function (c) { out.push({ name: f.properties.name || f.properties.id, coords: c }); });
    });
    return { type: "lines", name: name, coordinateSystem: "geo", polyline: true, z: z, itemStyle: { color: colour },
      lineStyle: { color: colour, width: width, opacity: 0.9 }, data: out };
  }
  function points(fc) {
    return fc.features.map(function (f) {
      var g = f.geometry;
      var c = g.type === "Point" ? g.coordinates : g.coordinates[0];
      if (g.type === "Polygon") { c = g.coordinates[0][0]; }
      if (g.type === "MultiPolygon") { c = g.coordinates[0][0][0]; }
      return { name: f.properties.name || f.properties.id, id: f.properties.id, value: c };
    });
  }
  var byStation = {};
  data.stations.forEach(function (s) { byStation[s.id] = s; });
  var stations = points(layers.rail_stations).map(function (p) {
    var s = byStation[p.id];
    p.itemStyle = { color: s && !s.served ? "#c62828" : "#6a1b9a" };
    p.name = p.name || p.id;
    return p;
  });
  var series = [
    polygons(L.boundary, layers.subarea_boundary, "rgba(0,0,0,0)", "#455a64", 1),
    polygons(L.residential, layers.residential, "#ffe0b2", "#e0a060", 2),
    polygons(L.holes, data.holes, "rgba(198,40,40,0.45)", "#c62828", 3, "#ffe0b2"),
    polygons(L.parks, layers.parks, "#81c784", "#2e7d32", 4),
    lines(L.paths, layers.paths, "#b0bec5", 1, 5),
    lines(L.greenways, layers.greenways, "#1b5e20", 3, 6),
    { type: "scatter", name: L.vertical, coordinateSystem: "geo", z: 7, symbol: "diamond", symbolSize: 8,
      itemStyle: { color: "#00897b" }, data: points(layers.vertical_greening) },
    { type: "scatter", name: L.stops, coordinateSystem: "geo", z: 8, symbolSize: 5,
      itemStyle: { color: "#1565c0" }, data: points(layers.bus_stops) },
    { type: "scatter", name: L.stations, coordinateSystem: "geo", z: 9, symbol: "rect", symbolSize: 12,
      itemStyle: { color: "#6a1b9a" }, data: stations }
  ];
  window.echarts.registerMap("spatial-district", outline);
  var map = window.echarts.init(chart);
  map.setOption({
    tooltip: { formatter: function (p) { return esc(p.seriesName) + (p.name ? "<br>" + esc(String(p.name)) : ""); } },
    legend: { bottom: 0, type: "scroll" },
    geo: { map: "spatial-district", roam: true, silent: true,
      itemStyle: { areaColor: "#f5f5f5", borderColor: "#90a4ae" }, emphasis: { disabled: true } },
    series: series
  });
  var detail = document.getElementById("station-detail");
  map.on("click", function (p) {
    if (p.seriesName !== L.stations || !p.data) { return; }
    var s = byStation[p.data.id];
    var html = "<p><strong>" + esc(String(p.data.name)) + "</strong>";
    if (s) {
      html += " · <span data-served=\"" + s.served + "\">" + esc(s.served ? L.served : L.unserved) + "</span>";
      if (s.opened) { html += "<br><small>" + esc(L.opened) + " " + esc(s.opened) + "</small>"; }
      html += "</p>";
      if (s.nearest.length) {
        html += "<table id=\"nearest-stops\"><caption>" + esc(L.nearest) + "</caption><thead><tr><th>" + esc(L.stop) +
          "</th><th class=\"num\">" + esc(L.distance) + "</th></tr></thead><tbody>";
        s.nearest.forEach(function (n) {
          html += "<tr data-stop=\"" + esc(n.id) + "\"><td>" + esc(n.name || n.id) + "</td><td class=\"num\">" +
            n.distance_m.toLocaleString(undefined, { maximumFractionDigits: 1 }) + "</td></tr>";
        });
        html += "</tbody></table>";
      } else { html += "<p>" + esc(L.none) + "</p>"; }
    } else { html += "</p>"; }
    detail.innerHTML = html;
    detail.dataset.station = p.data.id;
  });
  chart.dataset.rendered = String(series.length);
  chart.dataset.stations = String(stations.length);
});
