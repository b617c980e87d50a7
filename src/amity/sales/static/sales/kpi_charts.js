// Draws the KPI charts from the figures the page carries as JSON (no inline script:
// the content security policy allows scripts from Amity only).
(function () {
  function draw() {
    if (!window.Plotly) { return; }  // the tables below carry the same numbers
    // Shown before drawing: plotly sizes each chart to its element's width.
    document.querySelectorAll(".charts[hidden]").forEach(function (charts) {
      charts.hidden = false;
    });
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout,
                            {displaylogo: false, responsive: true});
      element.classList.add("drawn");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
