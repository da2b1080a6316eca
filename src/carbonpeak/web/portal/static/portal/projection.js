// Projection page: lever sliders recompute the scenario through /api/projection/compute (fetch, debounced),
// and the fan chart, wedge chart, peak-year histogram, LMDI table and comparison are redrawn (ECharts, local).
document.addEventListener("DOMContentLoaded", function () {
  var config = JSON.parse(document.getElementById("projection-config").textContent);
  var leverLabels = JSON.parse(document.getElementById("projection-lever-labels").textContent);
  var first = JSON.parse(document.getElementById("projection-data").textContent);
  var second = JSON.parse(document.getElementById("projection-compare").textContent);
  var L = config.labels;
  var hasCharts = !!window.echarts;
  var charts = {};
  ["fan-chart", "wedge-chart", "peak-hist", "compare-chart"].forEach(function (id) {
    if (hasCharts) { charts[id] = window.echarts.init(document.getElementById(id)); }
  });
  var fmt = function (v, digits) {
    if (v === null || v === undefined) { return "—"; }
    if (Math.abs(v) < 0.5 * Math.pow(10, -(digits || 0))) { v = 0; }
    return Number(v).toLocaleString(undefined, { maximumFractionDigits: digits || 0, minimumFractionDigits: digits || 0 });
  };
  var at = function (doc, key, year) {
    var i = doc.years.indexOf(year); return i < 0 ? null : doc[key][i];
  };

  function drawFan(doc) {
    if (!hasCharts) { return; }
    var years = doc.years.map(String);
    var band = doc.co2_t_p90.map(function (v, i) { return v - doc.co2_t_p10[i]; });
    charts["fan-chart"].setOption({
      animation: false,
      tooltip: { trigger: "axis" }, legend: { bottom: 0, data: ["P10", "P50", "P90", L.central] },
      grid: { left: 80, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: years }, yAxis: { type: "value", scale: true },
      series: [
        { name: "P10", type: "line", data: doc.co2_t_p10, stack: "fan", lineStyle: { opacity: 0.4 }, symbol: "none" },
        { name: "P90", type: "line", data: band, stack: "fan", areaStyle: { opacity: 0.25 }, lineStyle: { opacity: 0.4 },
          symbol: "none", tooltip: { valueFormatter: function () { return ""; } } },
        { name: "P50", type: "line", data: doc.co2_t_p50, lineStyle: { width: 3 } },
        { name: L.central, type: "line", data: doc.co2_t_central, lineStyle: { type: "dashed" }, symbol: "none" }
      ]
    }, true);
  }

  function drawWedges(doc) {
    if (!hasCharts) { return; }
    var years = doc.years.map(String);
    var series = [{ name: L.scenario, type: "line", stack: "w", areaStyle: { opacity: 0.15 }, data: doc.co2_t_central, symbol: "none" }];
    doc.wedge_series.forEach(function (w) {
      series.push({ name: leverLabels[w.lever] || w.lever, type: "line", stack: "w", areaStyle: {}, symbol: "none", data: w.co2_t });
    });
    series.push({ name: L.bau, type: "line", data: doc.co2_t_bau_central, lineStyle: { type: "dashed", color: "#333" }, symbol: "none" });
    charts["wedge-chart"].setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { bottom: 0, type: "scroll" },
      grid: { left: 80, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: years }, yAxis: { type: "value", scale: true }, series: series
    }, true);
  }

  function drawHist(doc) {
    if (!hasCharts) { return; }
    var years = doc.years.filter(function (y) { return y >= doc.last_history_year - 5; });
    charts["peak-hist"].setOption({
      animation: false, tooltip: { trigger: "axis" }, grid: { left: 60, right: 20, top: 20, bottom: 40 },
      xAxis: { type: "category", data: years.map(String) }, yAxis: { type: "value", max: 1 },
      series: [{ type: "bar", data: years.map(function (y) { return doc.peak_year_distribution[String(y)] || 0; }),
                 itemStyle: { color: function (p) { return Number(p.name) <= 2030 ? "#2e7d32" : "#c62828"; } } }]
    }, true);
  }

  function drawLmdi(doc) {
    var body = document.querySelector("#lmdi-table tbody");
    var d = doc.decomposition;
    var effects = Object.keys(config.effects);
    var rows = Object.keys(d.by_sector).map(function (sector) {
      var r = d.by_sector[sector];
      var total = effects.reduce(function (s, k) { return s + r[k]; }, 0);
      return "<tr><th>" + ((config.sectors || {})[sector] || sector) + "</th>" + effects.map(function (k) { return "<td>" + fmt(r[k]) + "</td>"; }).join("") +
        "<td>" + fmt(total) + "</td></tr>";
    });
    rows.push("<tr class='total'><th>" + L.total + " " + d.year_from + "→" + d.year_to + "</th>" +
      effects.map(function (k) { return "<td>" + fmt(d.effects[k]) + "</td>"; }).join("") +
      "<td data-total-change='" + d.total_change_t + "'>" + fmt(d.total_change_t) + "</td></tr>");
    body.innerHTML = rows.join("");
  }

  function drawCompare(a, b) {
    var wedge = function (doc) { return doc.wedges.reduce(function (s, w) { return s + (w.co2_t_2030 || 0); }, 0); };
    var rows = [
      [L.p_peak, a.p_peak_by === null ? "—" : fmt(a.p_peak_by, 2), b.p_peak_by === null ? "—" : fmt(b.p_peak_by, 2)],
      [L.peak_year, a.peak_year_p50 || "—", b.peak_year_p50 || "—"],
      [L.peak_value, fmt(a.peak_co2_t.p50), fmt(b.peak_co2_t.p50)],
      [L.co2_2030, fmt(at(a, "co2_t_p50", 2030)), fmt(at(b, "co2_t_p50", 2030))],
      [L.co2_2035, fmt(at(a, "co2_t_p50", 2035)), fmt(at(b, "co2_t_p50", 2035))],
      [L.wedge_2030, fmt(wedge(a)), fmt(wedge(b))]
    ];
    document.querySelector("#compare-table tbody").innerHTML = rows.map(function (r) {
      return "<tr><th>" + r[0] + "</th><td>" + r[1] + "</td><td>" + r[2] + "</td></tr>";
    }).join("");
    if (!hasCharts) { return; }
    charts["compare-chart"].setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 80, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: a.years.map(String) }, yAxis: { type: "value", scale: true },
      series: [
        { name: a.scenario + " P50", type: "line", data: a.co2_t_p50, lineStyle: { width: 3 } },
        { name: b.scenario + " P50", type: "line", data: b.co2_t_p50, lineStyle: { type: "dashed" } }
      ]
    }, true);
  }

  var version = 0;
  function render(doc) {
    first = doc;
    document.getElementById("p-peak").textContent = doc.p_peak_by === null ? "—" : fmt(doc.p_peak_by, 2);
    document.getElementById("peak-year").textContent = doc.peak_year_p50 || "—";
    document.getElementById("peak-value").textContent = fmt(doc.peak_co2_t.p50);
    document.getElementById("peak-p10").textContent = fmt(doc.peak_co2_t.p10);
    document.getElementById("peak-p90").textContent = fmt(doc.peak_co2_t.p90);
    document.getElementById("p50-2030").textContent = fmt(at(doc, "co2_t_p50", 2030));
    document.getElementById("compute-ms").textContent = doc.compute_ms;
    doc.levers.forEach(function (l) {
      var el = document.getElementById("lever-" + l.lever + "-summary"); if (el) { el.textContent = l.summary; }
    });
    drawFan(doc); drawWedges(doc); drawHist(doc); drawLmdi(doc); drawCompare(doc, second);
    var fan = document.getElementById("fan-chart");
    version += 1;
    fan.dataset.version = String(version);
    fan.dataset.p50 = JSON.stringify(doc.co2_t_p50);
    fan.dataset.rendered = "true";
  }

  var sliders = Array.prototype.slice.call(document.querySelectorAll("input[data-lever]"));
  var timer = null;
  var pending = null;
  function recompute() {
    var params = new URLSearchParams({
      scenario: config.scenario, draws: config.draws, seed: config.seed,
      year_from: document.getElementById("year-from").value, year_to: document.getElementById("year-to").value
    });
    if (config.version !== null) { params.set("version", config.version); }
    if (config.peak_test) { params.set("peak_test", config.peak_test); }
    sliders.forEach(function (s) { params.set("lever." + s.dataset.lever, s.value); });
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(config.api + "?" + params.toString(), { credentials: "same-origin", signal: pending.signal })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(render)
      .catch(function (e) { if (e.name !== "AbortError") { document.getElementById("compute-ms").textContent = L.error; } });
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(recompute, 150); }
  sliders.forEach(function (s) {
    s.addEventListener("input", function () {
      document.getElementById("lever-" + s.dataset.lever + "-pct").textContent = s.value; schedule();
    });
  });
  document.getElementById("year-from").addEventListener("change", schedule);
  document.getElementById("year-to").addEventListener("change", schedule);
  document.getElementById("lever-reset").addEventListener("click", function () {
    sliders.forEach(function (s) { s.value = 100; document.getElementById("lever-" + s.dataset.lever + "-pct").textContent = "100"; });
    schedule();
  });
  render(first);
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
});
