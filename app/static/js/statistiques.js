// Draws the chart of each statistics table from its data-graphique attribute (no inline script: strict CSP).
/* global Chart */
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") return;
  const palette = ["#1f4e79", "#c55a11", "#2d6a4f", "#7b2d8b", "#a4161a", "#4a7fb5", "#b08900", "#5a5a5a",
    "#00838f", "#6d4c41"];
  document.querySelectorAll("canvas[data-graphique]").forEach((canvas) => {
    const spec = JSON.parse(canvas.dataset.graphique);
    const datasets = spec.datasets.map((ds, i) => {
      const colour = spec.datasets.length === 1 ? palette.slice(0, spec.labels.length) : palette[i % palette.length];
      return { ...ds, backgroundColor: colour, borderColor: colour, fill: false, tension: 0.2 };
    });
    const chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: spec.datasets.length > 1, position: "bottom" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    canvas.dataset.rendu = "oui";
    canvas.chart = chart;
  });
});
