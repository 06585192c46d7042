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
  var narrow = box.clientWidth < 520;  // a phone: the legend goes under the chart, the title wraps
  var hasLimit = data.limits.some(function (v) { return v !== null; });
  // the values as the table shows them (the indicator's decimals), never raw floats
  var shown = function (p) { return (data.texts || [])[p.dataIndex] || ""; };
  chart.setOption({
    animation: false,
    title: { text: data.title, left: 0, textStyle: { fontSize: 14, fontWeight: 600, color: "#1f2933",
      width: box.clientWidth - (narrow ? 8 : 220), overflow: "break" } },
    tooltip: { trigger: "axis", renderMode: "richText",
      valueFormatter: function (v) { return v === null || v === undefined ? "—" : String(Math.round(v * 1e4) / 1e4); } },
    legend: narrow ? { bottom: 0, left: 0, data: hasLimit ? [data.labels.value, data.labels.limit] : [data.labels.value] }
      : { top: 2, right: 0, data: hasLimit ? [data.labels.value, data.labels.limit] : [data.labels.value] },
    grid: narrow ? { left: 48, right: 16, top: 64, bottom: 56 } : { left: 56, right: 24, top: 48, bottom: 32 },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", name: data.unit, scale: true },
    series: [
      { name: data.labels.value, type: "line", data: data.values, symbolSize: 9, connectNulls: false,
        itemStyle: { color: "#1d4f91" }, label: { show: true, position: "top", formatter: shown } },
      { name: data.labels.limit, type: "line", step: "middle", data: data.limits, symbol: "none",
        lineStyle: { type: "dashed", color: "#b3261e" }, itemStyle: { color: "#b3261e" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
