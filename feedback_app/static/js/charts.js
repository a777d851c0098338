// Draws the dashboard's charts from JSON data blocks (<script type="application/json" data-chart-for="ID">).
// No inline scripts: the page carries data only, this file draws it with the Plotly the app serves itself.
// Colours, font and grid come from the stylesheet's variables so charts match the rest of the app;
// every value axis shows its unit (the currency symbol from the page, or %) and every axis its title.
(function () {
  "use strict";
  var css = window.getComputedStyle(document.documentElement);
  function token(name, fallback) { return (css.getPropertyValue(name) || "").trim() || fallback; }
  var accent = token("--accent", "#0b5cad");
  var ink = token("--ink", "#1b1f24");
  var muted = token("--muted", "#4a5360");
  var line = token("--line", "#d5dae1");
  var danger = token("--danger", "#a4161a");
  // The app blue first, then colours that stay apart from it and from each other for colour-blind readers.
  var colorway = [accent, "#e07b00", "#2a9d8f", "#7b3fa0", "#c2185b", "#5c6f82", "#8c6d1f", "#1e6b35"];

  function axis(extra) {
    return Object.assign({ gridcolor: line, linecolor: line, zerolinecolor: line, tickfont: { color: muted },
                           title: { font: { color: muted } }, automargin: true }, extra || {});
  }
  // A phone (the stylesheet's 600px break): Plotly's mode bar sat on the lines and the legend, and a
  // tap opened it, so it is off there (hover-only elsewhere); the charts are taller, as month names
  // turned sideways and a legend of several lines left a plot area a few pixels high in 340.
  // Followed live: a window narrowed or widened across the break redraws every chart in the other layout.
  var phone = window.matchMedia("(max-width: 600px)");
  var narrow = phone.matches;

  function layoutBase() {
    return { margin: { t: 10, r: 16, b: 40, l: 16 }, height: narrow ? 520 : 340, colorway: colorway,
             font: { family: token("--font", "system-ui, sans-serif"), color: ink, size: 13 },
             paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
             hoverlabel: { font: { family: token("--font", "system-ui, sans-serif") } },
             // the legend at the foot of the whole chart (not of the plot area), so month names that
             // Plotly turns sideways on a phone push it down instead of running under it
             xaxis: axis(), yaxis: axis(), legend: { orientation: "h", yref: "container", y: 0, yanchor: "bottom" } };
  }
  // responsive: Plotly redraws each chart to its box (sized by dashboard.css) when the window changes.
  // showSendToCloud: Plotly's "Share chart..." button (on by default) uploads the chart, revenue
  // lost by reason and all, to Plotly Cloud; nothing here leaves the company's own server.
  function config() {
    return { displaylogo: false, responsive: true, displayModeBar: narrow ? false : "hover",
             showSendToCloud: false, showEditInChartStudio: false,
             modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  }

  function money(cents) { return cents / 100; }

  // Plotly reads the text it draws as a little HTML (<a href>, <b>, <span style>, <br>) and shows
  // &lt; &gt; &amp; as the characters: every label from the data (theme and cause names, segments,
  // plans, months) goes through here, so a name holding "<a href=...>" is shown, never a link.
  function text(value) {
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function texts(values) { return values.map(text); }

  // Plotly never wraps a legend entry, and a phone's legend is one entry a line: a long theme name
  // ("Complaint about vendor change never resolved") ran past the chart's right edge, cut off. On a
  // phone a name breaks between words into lines of at most about 28 characters.
  function legendName(name) {
    if (!narrow || name.length <= 28) { return text(name); }
    var lines = [], current = "";
    name.split(" ").forEach(function (word) {
      if (current && (current + " " + word).length > 28) { lines.push(current); current = word; }
      else { current = current ? current + " " + word : word; }
    });
    return texts(lines.concat([current])).join("<br>");
  }

  var kinds = {
    pareto: function (data, currency, words) {
      var labels = data.map(function (p) { return text(p.label); });
      return [[
        { type: "bar", x: labels, y: data.map(function (p) { return money(p.mrr_lost_cents); }), name: words.revenue_lost,
          marker: { color: accent }, hovertemplate: "%{x}<br>" + words.a_month + "<extra></extra>" },
        // the hover label shows the share as the page writes it (cumulative_percent: "<1%", never "0%")
        { type: "scatter", mode: "lines+markers", x: labels, y: data.map(function (p) { return p.cumulative_share * 100; }),
          customdata: data.map(function (p) { return p.cumulative_percent; }),
          name: words.cumulative_total, yaxis: "y2", line: { color: danger },
          hovertemplate: words.of_total + "<extra></extra>" }
      ], Object.assign({ xaxis: axis({ title: { text: words.causes_axis } }),
           yaxis: axis({ title: { text: words.revenue_lost }, tickprefix: currency, tickformat: ",.0f", rangemode: "tozero" }),
           yaxis2: axis({ title: { text: words.cumulative }, overlaying: "y", side: "right", range: [0, 105],
                          tickvals: [0, 25, 50, 75, 100], ticktext: ["0%", "25%", "50%", "75%", "100%"], showgrid: false }) },
           // above the plot on a wide screen; on a phone it wraps to two lines and ran over the bars
           // and the line, so it keeps the foot of the chart there, as the other charts do
           narrow ? {} : { legend: { orientation: "h", y: 1.12 } })];
    },
    lines: function (data, currency, words) {
      return [data.series.map(function (s) {
        // the hover label is the share as the server writes it (percents: "0.4%" below 10%, "<0.1%", never "0%")
        return { type: "scatter", mode: "lines+markers", name: legendName(s.label), x: texts(data.months), y: s.shares.map(function (v) { return v === null ? null : v * 100; }),
                 customdata: s.percents,
                 hovertemplate: "%{x}: %{customdata}<extra>" + text(s.label) + "</extra>" };
      }), { yaxis: axis({ title: { text: words.lines_axis }, ticksuffix: "%", rangemode: "tozero" }),
            xaxis: axis({ type: "category", title: { text: words.months_axis } }) }];
    },
    bars: function (data, currency, words) {
      return [[{ type: "bar", x: texts(data.labels), y: data.values, marker: { color: accent },
                 hovertemplate: "%{x}: " + words.n_answers + "<extra></extra>" }],
              { yaxis: axis({ title: { text: words.answers }, tickformat: ",d", rangemode: "tozero" }),
                xaxis: axis({ type: "category", title: { text: words.months_axis } }) }];
    },
    funnel: function (data) {
      return [[{ type: "funnel", y: texts(data.labels), x: data.values, marker: { color: accent },
                 textinfo: "value+percent initial", connector: { line: { color: line } } }],
              { margin: { t: 10, r: 16, b: 30, l: 16 }, height: 340, yaxis: axis({ automargin: true }) }];
    }
  };

  // Each chart drawn, with what it was drawn from, to redraw it when the layout changes.
  var charts = [];

  function plot(chart) {
    var parts = chart.build(chart.data, chart.currency, chart.words);
    window.Plotly.react(chart.target, parts[0], Object.assign(layoutBase(), parts[1]), config());
  }

  function draw() {
    if (!window.Plotly) { return; }
    charts = charts.filter(function (chart) { return chart.target.isConnected; });
    document.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(function (block) {
      var target = document.getElementById(block.getAttribute("data-chart-for"));
      var build = target && kinds[target.getAttribute("data-chart-kind")];
      if (!build) { return; }
      // The words come from the page (data-words, through gettext), so the charts speak its language.
      var chart = { target: target, build: build, data: JSON.parse(block.textContent),
                    currency: target.getAttribute("data-currency") || "$",
                    words: JSON.parse(target.getAttribute("data-words") || "{}") };
      charts = charts.filter(function (other) { return other.target !== target; }).concat([chart]);
      plot(chart);
    });
  }

  phone.addEventListener("change", function (event) {
    narrow = event.matches;
    if (window.Plotly) { charts.forEach(plot); }
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  // Content swapped in by htmx (the themes page after an analysis run) brings new chart data.
  document.addEventListener("htmx:afterSettle", draw);
})();
