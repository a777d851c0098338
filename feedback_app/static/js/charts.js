// Draws the dashboard's charts from JSON data blocks (<script type="application/json" data-chart-for="ID">).
// No inline scripts: the page carries data only, this file draws it with the Plotly the app serves itself.
(function () {
  "use strict";
  var layoutBase = { margin: { t: 10, r: 50, b: 90, l: 60 }, height: 340, font: { family: "system-ui, sans-serif" } };
  var config = { displaylogo: false, responsive: true };

  function money(cents) { return cents / 100; }

  var kinds = {
    pareto: function (data) {
      var labels = data.map(function (p) { return p.label; });
      return [[
        { type: "bar", x: labels, y: data.map(function (p) { return money(p.mrr_lost_cents); }), name: "Monthly revenue lost", marker: { color: "#0b5cad" } },
        { type: "scatter", mode: "lines+markers", x: labels, y: data.map(function (p) { return p.cumulative_share * 100; }), name: "Cumulative share (%)", yaxis: "y2", line: { color: "#a4161a" } }
      ], { yaxis: { title: "Monthly revenue lost" }, yaxis2: { title: "Cumulative share", overlaying: "y", side: "right", range: [0, 105], tickvals: [0, 25, 50, 75, 100], ticksuffix: "%" }, legend: { orientation: "h", y: 1.15 } }];
    },
    lines: function (data) {
      return [data.series.map(function (s) {
        return { type: "scatter", mode: "lines+markers", name: s.label, x: data.months, y: s.shares.map(function (v) { return v * 100; }) };
      }), { yaxis: { title: "Share (%)", rangemode: "tozero" }, legend: { orientation: "h", y: -0.3 } }];
    },
    bars: function (data) {
      return [[{ type: "bar", x: data.labels, y: data.values, marker: { color: "#0b5cad" } }], { yaxis: { title: "Answers" } }];
    },
    funnel: function (data) {
      return [[{ type: "funnel", y: data.labels, x: data.values, marker: { color: "#0b5cad" } }], { margin: { t: 10, r: 20, b: 30, l: 140 } }];
    }
  };

  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(function (block) {
      var target = document.getElementById(block.getAttribute("data-chart-for"));
      var build = target && kinds[target.getAttribute("data-chart-kind")];
      if (!build) { return; }
      var parts = build(JSON.parse(block.textContent));
      window.Plotly.newPlot(target, parts[0], Object.assign({}, layoutBase, parts[1]), config);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
