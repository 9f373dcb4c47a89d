// The page script of every profile page (deferred: the page is read before it runs).
// Nothing on a page needs it to be seen. It adds: an indicator's trend chart, drawn on demand
// with the local plotly.js and the council's trend data, both loaded only when a chart is
// first asked for; the figures the pipeline built (the methods page's backtest charts, drawn
// with the same plotly.js as soon as the page is read); folded topics opened when a link points
// into them; sortable tables; and the index's search as you type.
(function () {
  "use strict";
  var ASSETS = document.currentScript.src.replace(/profile\.js(\?.*)?$/, "");
  var CONFIG = { displayModeBar: false, responsive: true };
  var SERIES = [
    { key: "c", name: null, color: "#000000", dash: "solid", symbol: "circle", width: 3 },
    { key: "n", name: "Neighbour mean", color: "#0072B2", dash: "dash", symbol: "diamond", width: 2 },
    { key: "r", name: "Region", color: "#E69F00", dash: "dot", symbol: "square", width: 2 },
    { key: "e", name: "England", color: "#009E73", dash: "dashdot", symbol: "triangle-up", width: 2 }
  ];
  var loading = {};

  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load " + src)); };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  // The trend file calls this with the council's series (a script, so it loads from file:// too).
  var trendsReady;
  var trends = new Promise(function (resolve) { trendsReady = resolve; });
  window.peerdataTrends = function (data) { trendsReady(data); };

  function trendFigure(t, councilName) {
    var data = SERIES.map(function (s) {
      return {
        type: "scatter", mode: "lines+markers", name: s.name || councilName, x: t.p, y: t[s.key],
        line: { color: s.color, dash: s.dash, width: s.width }, marker: { symbol: s.symbol, size: 7, color: s.color },
        connectgaps: false, hovertemplate: "%{x}: %{y:." + t.d + "f}" + (t.pct ? "%" : "") + "<extra>" + (s.name || councilName) + "</extra>"
      };
    });
    return {
      data: data,
      layout: {
        height: 300, margin: { l: 50, r: 10, t: 36, b: 60 }, font: { family: "Arial, Helvetica, sans-serif", size: 12, color: "#1a1a1a" },
        title: { text: t.t.length > 60 ? t.t.slice(0, 59) + "…" : t.t, font: { size: 13 } },
        legend: { orientation: "h", y: -0.25 }, xaxis: { type: "category", fixedrange: true },
        yaxis: { title: { text: t.u || "" }, fixedrange: true }, plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff"
      }
    };
  }

  function wireTrendCharts() {
    var source = document.getElementById("trend-data");
    if (!source) { return; }
    var councilName = document.querySelector("h1").textContent;
    document.querySelectorAll("button.tc").forEach(function (button) {
      var row = button.closest("tr");
      button.type = "button";
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-label", "Trend chart of " + row.querySelector(".ind-name").textContent);
      button.addEventListener("click", function () {
        var chartRow = row.nextElementSibling && row.nextElementSibling.classList.contains("chart-row") ? row.nextElementSibling : null;
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        if (chartRow) { chartRow.hidden = !open; return; }
        chartRow = document.createElement("tr");
        chartRow.className = "chart-row";
        var cell = document.createElement("td");
        cell.colSpan = row.children.length;
        var chart = document.createElement("div");
        chart.className = "trend-chart";
        chart.setAttribute("role", "img");
        chart.setAttribute("aria-label", "Trend of " + row.querySelector(".ind-name").textContent + ": " + councilName +
          " against neighbour mean, region and England (the table row gives the latest values)");
        chart.textContent = "Drawing the chart…";
        cell.appendChild(chart);
        chartRow.appendChild(cell);
        row.after(chartRow);
        load(source.getAttribute("data-src"));
        Promise.all([load(ASSETS + "plotly.min.js"), trends]).then(function (loaded) {
          var t = loaded[1][row.id];
          chart.textContent = "";
          if (!t) { chart.textContent = "No values to chart."; return; }
          var fig = trendFigure(t, councilName);
          return Plotly.newPlot(chart, fig.data, fig.layout, CONFIG);
        }).catch(function (err) { chart.textContent = "The chart could not be drawn: " + err.message; });
      });
    });
  }

  // Figures built by the pipeline (the methods page's backtest): JSON beside each chart element.
  function drawFigures() {
    var charts = document.querySelectorAll(".plotly-figure[data-figure]");
    if (!charts.length) { return; }
    load(ASSETS + "plotly.min.js").then(function () {
      charts.forEach(function (chart) {
        var fig = JSON.parse(document.getElementById(chart.getAttribute("data-figure")).textContent);
        Plotly.newPlot(chart, fig.data, fig.layout, CONFIG);
      });
    }).catch(function (err) {
      charts.forEach(function (chart) { chart.textContent = "The chart could not be drawn: " + err.message; });
    });
  }

  // A link to a row inside a folded topic opens the topic first.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    target.scrollIntoView();
    if (target.tagName === "TR") { target.classList.add("target"); }
  }

  function wireSorting() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      heads.forEach(function (th, index) {
        var button = th.querySelector("button");
        if (!button) { return; }
        button.addEventListener("click", function () {
          var numeric = button.getAttribute("data-sort") === "num";
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.querySelector("tbody.councils") || table.tBodies[0];  // England and the region stay first
          var rows = Array.prototype.slice.call(body.rows);
          function key(row) {
            var cell = row.children[index];
            var raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
            return numeric ? (raw === "" ? null : parseFloat(raw)) : raw.toLowerCase();
          }
          rows.sort(function (a, b) {
            var x = key(a), y = key(b);
            if (x === null || y === null) { return x === y ? 0 : (x === null ? 1 : -1); }  // blanks last
            var c = x < y ? -1 : (x > y ? 1 : 0);
            return ascending ? c : -c;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  function wireSearch() {
    var input = document.getElementById("find");
    if (!input) { return; }
    var items = document.querySelectorAll("#councils li");
    var count = document.getElementById("find-count");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().replace(/&/g, "and").split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li) {
        var name = li.getAttribute("data-name").replace(/&/g, "and");
        var match = words.every(function (w) { return name.indexOf(w) !== -1; });
        li.hidden = !match;
        shown += match ? 1 : 0;
      });
      count.textContent = shown === 1 ? "1 council" : shown + " councils";
    });
  }

  wireTrendCharts();
  wireSorting();
  wireSearch();
  drawFigures();
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
