// A bar chart as inline SVG, drawn here rather than by a library: stacked bars of
// accepted / edited / rejected per day, with the number shown as a line above them.
"use strict";
(function () {
  const { t, svg } = window.Assist;
  const SERIES = ["accepted", "edited", "rejected"];

  function dailyChart(days, title) {
    const width = Math.max(320, 40 + days.length * 28), height = 220, top = 16, bottom = 30, left = 34;
    const plot = height - top - bottom;
    const max = Math.max(1, ...days.map((d) => d.shown), ...days.map((d) => d.accepted + d.edited + d.rejected));
    const y = (value) => top + plot - (value / max) * plot;
    const step = (width - left - 8) / Math.max(1, days.length);
    const nodes = [
      svg("title", { id: "chart-title" }, [document.createTextNode(title)]),
      svg("line", { class: "axis", x1: left, y1: top + plot, x2: width - 4, y2: top + plot }),
      svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: top + plot }),
      label(left - 4, y(max) + 4, String(max), "end"),
      label(left - 4, top + plot, "0", "end"),
    ];
    const points = [];
    days.forEach((day, i) => {
      const x = left + i * step + step * 0.2;
      let base = 0;
      for (const series of SERIES) {
        const value = day[series];
        if (value > 0) {
          nodes.push(
            svg("rect", { class: series, x: x.toFixed(1), width: (step * 0.6).toFixed(1), y: y(base + value).toFixed(1), height: ((value / max) * plot).toFixed(1) }, [
              svg("title", {}, [document.createTextNode(day.day + " " + t(series) + ": " + value)]),
            ])
          );
        }
        base += value;
      }
      points.push((x + step * 0.3).toFixed(1) + "," + y(day.shown).toFixed(1));
      if (days.length <= 14 || i % Math.ceil(days.length / 10) === 0) {
        nodes.push(label(x + step * 0.3, height - 10, day.day.slice(5), "middle"));
      }
    });
    if (points.length) nodes.push(svg("polyline", { class: "shown", points: points.join(" ") }));
    return svg("svg", { class: "chart", role: "img", "aria-labelledby": "chart-title", viewBox: "0 0 " + width + " " + height, width: width, height: height }, nodes);
  }

  function label(x, y, text, anchor) {
    return svg("text", { x: x, y: y, "text-anchor": anchor }, [document.createTextNode(text)]);
  }

  window.Assist.dailyChart = dailyChart;
})();
