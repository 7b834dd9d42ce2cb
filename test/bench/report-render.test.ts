import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCharts } from "../../loadtests/bench/report-charts.ts";
import { loadUplotAssets, renderReportHtml, seriesColours } from "../../loadtests/bench/report-html.ts";
import { benchResultsFixture } from "../../loadtests/testing/bench-results-fixture.ts";

/**
 * report.html from the fixture results, opened from disk in Debian's Chromium with the
 * network off: every chart must be drawn by the inlined uPlot, with its series in the
 * legend and each series' colour in the canvas pixels.
 */
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface DrawnChart {
  id: string;
  legendSeries: number;
  declaredSeries: number;
  canvasWidth: number;
  paintedPixels: number;
  /** Pixels close to each series colour, in series order. */
  colourPixels: number[];
}

let browser: Browser;
let dir: string;
const results = benchResultsFixture();
const charts = reportCharts(results);

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
  dir = await mkdtemp(path.join(tmpdir(), "conduit-report-"));
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const drawn = async (html: string) => {
  const file = path.join(dir, "report.html");
  await writeFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) requests.push(request.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("body[data-charts-ready]", { timeout: 15_000 });
  const found = await page.evaluate((colours: string[]) => {
    const rgb = colours.map((hex) => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)));
    return [...document.querySelectorAll<HTMLElement>(".chart")].map((box) => {
      const canvas = box.querySelector("canvas");
      const context = canvas?.getContext("2d");
      const pixels =
        canvas && context ? context.getImageData(0, 0, canvas.width, canvas.height).data : new Uint8ClampedArray();
      let painted = 0;
      const colourPixels = rgb.map(() => 0);
      for (let index = 0; index < pixels.length; index += 4) {
        if ((pixels[index + 3] ?? 0) === 0) continue;
        painted++;
        rgb.forEach(([r = 0, g = 0, b = 0], colour) => {
          const close =
            Math.abs((pixels[index] ?? 0) - r) < 12 &&
            Math.abs((pixels[index + 1] ?? 0) - g) < 12 &&
            Math.abs((pixels[index + 2] ?? 0) - b) < 12;
          if (close) colourPixels[colour] = (colourPixels[colour] ?? 0) + 1;
        });
      }
      return {
        id: box.id.replace(/^chart-/, ""),
        // A row per series; with live values off, uPlot leaves out the x axis' row.
        legendSeries: box.querySelectorAll(".u-legend .u-series").length,
        declaredSeries: Number(box.dataset.series),
        canvasWidth: canvas?.width ?? 0,
        paintedPixels: painted,
        colourPixels,
      };
    });
  }, seriesColours);
  await page.close();
  return { charts: found as DrawnChart[], problems, requests };
};

describe("report.html in headless Chromium", () => {
  it("draws every chart, with all its series, from the inlined uPlot and no network", async () => {
    const page = await drawn(renderReportHtml(results, await loadUplotAssets()));
    expect(page.problems).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((chart) => chart.id)).toEqual(charts.map((chart) => chart.id));
    for (const [index, chart] of page.charts.entries()) {
      const spec = charts[index];
      expect(chart.canvasWidth, chart.id).toBeGreaterThan(0);
      expect(chart.declaredSeries, chart.id).toBe(spec?.series.length);
      expect(chart.legendSeries, chart.id).toBe(spec?.series.length);
      // Axes and grid alone paint a few thousand pixels; bars and lines paint many more.
      expect(chart.paintedPixels, chart.id).toBeGreaterThan(5_000);
      spec?.series.forEach((series, seriesIndex) => {
        if (series.values.every((value) => value === null)) return;
        expect(chart.colourPixels[seriesIndex], `${chart.id}: ${series.label}`).toBeGreaterThan(20);
      });
    }
  });

  it("is a single file: uPlot inlined, nothing loaded from elsewhere", async () => {
    const html = renderReportHtml(results, await loadUplotAssets());
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain("uPlot");
  });
});
