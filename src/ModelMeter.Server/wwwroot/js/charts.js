// Draws each <figure class="chart" data-chart='{"labels":[...],"series":[{"name":"USD","values":[...]}]}'> with uPlot.
// The same numbers are in the table beside every chart; the line has point markers and a dash per series, so it reads
// without colour.
(function () {
  "use strict";
  var dashes = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  var strokes = ["#1f5fa8", "#b5462c", "#2c7a3a", "#6b3fa0"];
  function draw(el) {
    var data = JSON.parse(el.getAttribute("data-chart"));
    var xs = data.labels.map(function (d) { return Date.parse(d + "T00:00:00Z") / 1000; });
    var series = [{}];
    var columns = [xs];
    data.series.forEach(function (s, i) {
      series.push({ label: s.name, stroke: strokes[i % strokes.length], dash: dashes[i % dashes.length], width: 2, points: { show: true, size: 5 },
        value: function (u, v) { return v == null ? "" : v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + s.name; } });
      columns.push(s.values);
    });
    el.innerHTML = "";
    var width = Math.max(280, el.clientWidth || 600);
    var chart = new uPlot({ width: width, height: 240, tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      series: series, axes: [{}, { size: 70 }], scales: { x: { time: true } } }, columns, el);
    el.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.setSize({ width: Math.max(280, el.clientWidth || 600), height: 240 }); });
  }
  document.querySelectorAll("figure.chart[data-chart]").forEach(draw);
})();
