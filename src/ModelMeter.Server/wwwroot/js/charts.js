// Draws each <figure class="chart" data-chart='{"labels":[...],"series":[{"name":"USD","values":[...]}]}'> with uPlot.
// The same numbers are in the table beside every chart; the line has point markers and a dash per series, so it reads
// without colour.
(function () {
  "use strict";
  var dashes = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  var strokes = ["#1f5fa8", "#b5462c", "#2c7a3a", "#6b3fa0"];
  // Points only (cost against a metric, runs over time): x sorted, no line between points.
  function scatter(el, data) {
    el.innerHTML = "";
    var width = Math.max(280, el.clientWidth || 600);
    var opts = { width: width, height: 240, scales: { x: { time: !!data.time } },
      series: [{ label: data.x }, { label: data.y, stroke: strokes[0], fill: strokes[0], paths: function () { return null; },
        points: { show: true, size: 8, stroke: strokes[0], fill: "#fff", width: 2 } }],
      axes: [{ label: data.x }, { label: data.y, size: 70 }] };
    if (data.time) { opts.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); }; }
    var chart = new uPlot(opts, [data.xs, data.ys], el);
    el.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.setSize({ width: Math.max(280, el.clientWidth || 600), height: 240 }); });
  }
  // Bars over named categories (savings by rule, cost by product): x is the category's index, labelled by name. Stacked:
  // each series sits on the ones before it; each bar is drawn from zero to its running top, tallest first, so the
  // shorter ones cover it and what shows of each is its own amount. Negative amounts (credits) are in the table only.
  // The legend shows each series' own amount, not the running top; bars carry a pattern of their own, not only a colour.
  function bars(el, data) {
    el.innerHTML = "";
    var n = data.labels.length;
    var xs = data.labels.map(function (_, i) { return i; });
    var raw = data.series.map(function (s) { return s.values; });
    var tops = raw.map(function (values) { return values.slice(); });
    if (data.stacked) {
      var running = xs.map(function () { return 0; });
      tops = raw.map(function (values) { return values.map(function (v, i) { running[i] += Math.max(0, v || 0); return running[i]; }); });
    }
    // Two series side by side (actual against what-if), each bar on its own half of the slot.
    var paired = !data.stacked && data.series.length === 2;
    var order = data.series.map(function (_, i) { return i; });
    if (data.stacked) { order.reverse(); }
    var fills = ["#7aa3d6", "#e3a58f", "#8fc79a", "#b9a3d6", "#e6cf7a", "#9ad0d6", "#d6a3c4", "#b0b0b0"];
    var series = [{ label: data.x || "", value: function (u, v) { return v == null ? "" : data.labels[v]; } }];
    var columns = [xs];
    order.forEach(function (i) {
      var s = data.series[i];
      series.push({ label: s.name, stroke: strokes[i % strokes.length], width: 1, fill: fills[i % fills.length],
        dash: dashes[i % dashes.length], paths: uPlot.paths.bars(paired ? { size: [0.3, 40], align: i === 0 ? -1 : 1 } : { size: [0.6, 80] }), points: { show: false },
        value: function (u, v, si, idx) { var x = idx == null ? null : raw[i][idx]; return x == null ? "" : x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + (data.unit || ""); } });
      columns.push(tops[i]);
    });
    var height = data.height || 260;
    var width = Math.max(280, el.clientWidth || 600);
    var chart = new uPlot({ width: width, height: height, series: series,
      scales: { x: { time: false, range: function () { return [-0.5, n - 0.5]; } },
        y: { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.05 : 1]; } } },
      padding: [10, 30, 0, 0],
      axes: [{ space: 10, incrs: [1], rotate: n > 4 ? -30 : 0, size: n > 4 ? 110 : 40,
        values: function (u, splits) { return splits.map(function (v) { return data.labels[v] == null ? "" : data.labels[v]; }); } },
      { size: 70 }] }, columns, el);
    el.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.setSize({ width: Math.max(280, el.clientWidth || 600), height: height }); });
  }
  function draw(el) {
    var data = JSON.parse(el.getAttribute("data-chart"));
    if (data.kind === "scatter") { scatter(el, data); return; }
    if (data.kind === "bars") { bars(el, data); return; }
    var xs = data.labels.map(function (d) { return Date.parse(d + "T00:00:00Z") / 1000; });
    var series = [{}];
    var columns = [xs];
    data.series.forEach(function (s, i) {
      var value = function (u, v) { return v == null ? "" : v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + (data.unit || s.name); };
      if (s.marks) {
        // Marked days (anomalies): a large ring around the day's point, no line, so it reads without colour.
        series.push({ label: s.name, stroke: "#b5462c", width: 3, paths: function () { return null; },
          points: { show: true, size: 14, stroke: "#b5462c", fill: "rgba(181,70,44,0.15)", width: 3 }, value: value });
      } else {
        series.push({ label: s.name, stroke: strokes[i % strokes.length], dash: dashes[i % dashes.length], width: 2, points: { show: true, size: 5 }, value: value });
      }
      columns.push(s.values);
    });
    el.innerHTML = "";
    var width = Math.max(280, el.clientWidth || 600);
    var height = data.height || 240;
    // Small multiples (a chart per KPI) are named by their caption: no legend.
    var chart = new uPlot({ width: width, height: height, legend: { show: height >= 200 }, tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      series: series, axes: [{}, { size: 70 }], scales: { x: { time: true } } }, columns, el);
    el.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.setSize({ width: Math.max(280, el.clientWidth || 600), height: height }); });
  }
  document.querySelectorAll(".chart[data-chart]").forEach(draw);
})();
