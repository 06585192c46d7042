// Trend chart of one indicator across years, with the requirement line (Apache ECharts, served
// from this site). Without the library the page keeps its table and shows a note instead.
"use strict";
(function () {
  var box = document.getElementById("trend-chart");
  var note = document.getElementById("chart-note");
  if (!box) return;
  if (typeof window.echarts === "undefined") {
    box.classList.add("off");
    if (note) note.classList.remove("pending");
    return;
  }
  var data = JSON.parse(box.dataset.chart || "{}");
  var chart = window.echarts.init(box, null, { renderer: "canvas" });
  var hasLimit = data.limits.some(function (v) { return v !== null; });
  chart.setOption({
    animation: false,
    title: { text: data.title, left: 0, textStyle: { fontSize: 14, fontWeight: 600, color: "#1f2933" } },
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 2, right: 0, data: hasLimit ? [data.labels.value, data.labels.limit] : [data.labels.value] },
    grid: { left: 56, right: 24, top: 48, bottom: 32 },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", name: data.unit, scale: true },
    series: [
      { name: data.labels.value, type: "line", data: data.values, symbolSize: 9, connectNulls: false,
        itemStyle: { color: "#1d4f91" }, label: { show: true, position: "top" } },
      { name: data.labels.limit, type: "line", step: "middle", data: data.limits, symbol: "none",
        lineStyle: { type: "dashed", color: "#b3261e" }, itemStyle: { color: "#b3261e" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
