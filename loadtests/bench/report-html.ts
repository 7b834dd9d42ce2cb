import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { BenchResults } from "./bench-results.ts";
import { reportCharts } from "./report-charts.ts";
import { renderSummaryMarkdown } from "./summary-markdown.ts";

/**
 * report.html: one self-contained file (uPlot's script and styles inlined from
 * node_modules, the chart data embedded), so it opens from disk or an artifact store with
 * no network. The charts come from reportCharts; under them, the same text as summary.md.
 * The page marks `body[data-charts-ready]` once every chart is drawn, and each chart's
 * element carries its series count and colours, for the test that renders it.
 */
export interface UplotAssets {
  script: string;
  styles: string;
}

const require = createRequire(import.meta.url);

export const loadUplotAssets = async (): Promise<UplotAssets> => ({
  script: await readFile(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
  styles: await readFile(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
});

/** Solid colours the render test can find again in the canvas pixels. */
export const seriesColours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** JSON inside a <script> element: `<` escaped, so no string in it can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");
const inlineScript = (code: string) => code.replace(/<\/(script)/gi, "<\\/$1");

// Runs in the browser: plain JavaScript over the embedded specs.
const drawCharts = `
const specs = JSON.parse(document.getElementById("chart-data").textContent);
const colours = JSON.parse(document.getElementById("chart-colours").textContent);
const group = 0.8;
for (const spec of specs) {
  const box = document.getElementById("chart-" + spec.id);
  const count = spec.series.length;
  const categorical = spec.kind === "bars";
  const x = categorical ? spec.categories.map((_, index) => index) : spec.x;
  const width = group / count;
  const series = spec.series.map((entry, index) => {
    const colour = colours[index % colours.length];
    const common = { label: entry.label, stroke: colour, width: 2 };
    if (!categorical) return { ...common, points: { show: true, size: 7, fill: colour } };
    return {
      ...common,
      fill: colour,
      width: 0,
      points: { show: false },
      paths: uPlot.paths.bars({
        disp: {
          x0: { unit: 1, values: (u) => u.data[0].map((value) => value - group / 2 + index * width) },
          size: { unit: 1, values: (u) => u.data[0].map(() => width) },
        },
      }),
    };
  });
  const options = {
    title: spec.title,
    // Many categories get a wider chart (the page scrolls sideways) rather than overlapping labels.
    width: categorical ? Math.max(960, x.length * 56) : 960,
    height: categorical ? 460 : 320,
    // Room on the right for the last rotated category label.
    padding: [16, categorical ? 90 : 24, 0, 0],
    scales: {
      x: categorical ? { time: false, range: [-0.5, x.length - 0.5] } : { time: false, range: (u, min, max) => [0, max * 1.05] },
      y: spec.logY ? { distr: 3 } : { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      categorical
        ? { splits: () => x, values: (u, splits) => splits.map((value) => spec.categories[value] ?? ""), rotate: -50, size: 180, gap: 4 }
        : { label: spec.xLabel, splits: () => x },
      { label: spec.yLabel, size: 70 },
    ],
    series: [{ label: categorical ? "" : spec.xLabel }, ...series],
    legend: { live: false },
  };
  new uPlot(options, [x, ...spec.series.map((entry) => entry.values)], box);
  box.dataset.series = String(count);
  box.dataset.colours = JSON.stringify(spec.series.map((_, index) => colours[index % colours.length]));
}
document.body.dataset.chartsReady = "true";
`;

export const renderReportHtml = (results: BenchResults, assets: UplotAssets): string => {
  const charts = reportCharts(results);
  const summary = renderSummaryMarkdown(results);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Conduit bench ${escapeHtml(results.startedAt)}</title>
<style>${assets.styles}</style>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  .chart { margin: 1.5rem 0; overflow-x: auto; }
  pre { font-size: 11px; overflow-x: auto; background: #f6f6f6; padding: 1rem; }
</style>
</head>
<body>
<h1>Conduit bench, ${escapeHtml(results.startedAt)}</h1>
<p><code>${escapeHtml(results.command)}</code>, profile <code>${escapeHtml(results.profile.name)}</code>,
${results.cells.length} cells, ${results.skipped.length} skipped. Machine: ${results.machine.cores} cores
(${escapeHtml(results.machine.cpuModel)}). Every figure is measured except the section marked PROJECTED in the summary below.</p>
${charts.map((chart) => `<div class="chart" id="chart-${escapeHtml(chart.id)}" data-kind="${chart.kind}"></div>`).join("\n")}
<h2>Summary</h2>
<pre>${escapeHtml(summary)}</pre>
<script id="chart-data" type="application/json">${scriptJson(charts)}</script>
<script id="chart-colours" type="application/json">${scriptJson(seriesColours)}</script>
<script>${inlineScript(assets.script)}</script>
<script>${inlineScript(drawCharts)}</script>
</body>
</html>
`;
};
