import type { LatencyFigures, LoadSummary } from "./load-summary.ts";

/** The console view of a LoadSummary, printed the same way by both drivers. */
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const percent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;
const latencyLine = (latency: LatencyFigures): string =>
  `p50 ${ms(latency.p50)}  p95 ${ms(latency.p95)}  p99 ${ms(latency.p99)}  max ${ms(latency.max)} ms`;

export const renderTextSummary = (summary: LoadSummary, summaryPath?: string): string => {
  const { requests, load } = summary;
  const lines = [
    "",
    `scenario ${summary.scenario} against ${summary.baseUrl}`,
    `driver   ${summary.driver.name}: ${summary.driver.tool}`,
    `load     ${load.profile.executor}, ${load.scheduledSeconds}s, ${load.scheduledRequests} requests scheduled, ${load.connections} connections`,
    "",
    `requests ${requests.total} (${requests.throughput.toFixed(1)} req/s), failed ${requests.failed} (${percent(requests.errorRate)}), dropped ${requests.dropped}`,
    `latency  ${latencyLine(summary.latencyMs)}`,
    `statuses ${Object.entries(summary.statusCounts)
      .map(([status, count]) => `${status}: ${count}`)
      .join(", ")}`,
  ];
  if (summary.cache) {
    lines.push(
      `cache    ${percent(summary.cache.hitRatio)} hits of ${summary.cache.observed} responses with a cache header`,
    );
  }
  lines.push("", "by request");
  const width = Math.max(...Object.keys(summary.byName).map((name) => name.length), 4);
  for (const [name, figures] of Object.entries(summary.byName)) {
    lines.push(
      `  ${name.padEnd(width)}  ${String(figures.count).padStart(7)}  err ${percent(figures.errorRate).padStart(7)}  ${latencyLine(figures.latencyMs)}`,
    );
  }
  lines.push("", "thresholds");
  for (const threshold of summary.thresholds) {
    const actual = threshold.actual === undefined ? "no data" : `actual ${Number(threshold.actual.toFixed(4))}`;
    lines.push(`  ${threshold.ok ? "ok  " : "FAIL"} ${threshold.metric} ${threshold.expression} (${actual})`);
  }
  lines.push("", summary.ok ? "all thresholds passed" : "THRESHOLDS FAILED");
  if (summaryPath) lines.push(`summary written to ${summaryPath}`);
  return `${lines.join("\n")}\n`;
};
