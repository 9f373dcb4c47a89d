// Renders the charts of a profile page from the JSON embedded in it, with the local plotly.js.
// Spine and overview charts draw on load; an indicator's trend chart draws when its details open.
(function () {
  "use strict";
  var CONFIG = { displayModeBar: false, responsive: true };
  var SERIES = [
    { key: "c", name: null, color: "#000000", dash: "solid", symbol: "circle", width: 3 },
    { key: "n", name: "Neighbour mean", color: "#0072B2", dash: "dash", symbol: "diamond", width: 2 },
    { key: "r", name: "Region", color: "#E69F00", dash: "dot", symbol: "square", width: 2 },
    { key: "e", name: "England", color: "#009E73", dash: "dashdot", symbol: "triangle-up", width: 2 }
  ];

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

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
        height: 300, margin: { l: 60, r: 10, t: 36, b: 60 }, font: { family: "Arial, Helvetica, sans-serif", size: 12, color: "#1a1a1a" },
        title: { text: t.t.length > 80 ? t.t.slice(0, 79) + "…" : t.t, font: { size: 13 } },
        legend: { orientation: "h", y: -0.25 }, xaxis: { type: "category", fixedrange: true },
        yaxis: { title: { text: t.u || "" }, fixedrange: true }, plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff"
      }
    };
  }

  function drawFigures() {
    var figures = readJson("figures");
    document.querySelectorAll("[data-figure]").forEach(function (div) {
      var fig = figures[div.getAttribute("data-figure")];
      if (fig) { Plotly.newPlot(div, fig.data, fig.layout, CONFIG); }
    });
  }

  function wireDetails() {
    var trends = null;
    var councilName = document.querySelector("h1").textContent;
    document.querySelectorAll("button.more").forEach(function (button) {
      button.addEventListener("click", function () {
        var row = document.getElementById(button.getAttribute("aria-controls"));
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        row.hidden = !open;
        var chart = row.querySelector(".trend-chart");
        if (open && chart && !chart.hasAttribute("data-drawn")) {
          trends = trends || readJson("trends");
          var t = trends[button.getAttribute("data-code")];
          if (t) {
            var fig = trendFigure(t, councilName);
            Plotly.newPlot(chart, fig.data, fig.layout, CONFIG);
          } else {
            chart.textContent = "No values to chart.";
          }
          chart.setAttribute("data-drawn", "true");
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawFigures();
    wireDetails();
  });
})();
