import { topologyLabel } from "./bench-plan.ts";
import type { BenchTarget, CellPlan } from "./bench-results.ts";

/** How the reports write numbers and name targets, the same in summary.md and report.html. */
export const targetLabels: Record<BenchTarget, string> = {
  origin: "origin-only (NGINX)",
  "edge-deno": "edge on deno serve --parallel",
  "edge-wrangler": "edge on wrangler dev (dev server, not a throughput figure)",
};

export const shortTargetLabels: Record<BenchTarget, string> = {
  origin: "origin-only",
  "edge-deno": "edge (deno)",
  "edge-wrangler": "edge (wrangler dev)",
};

export const rps = (value: number): string => Math.round(value).toLocaleString("en-US");
export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
export const ratio = (value: number | null, digits = 2): string => (value === null ? "n/a" : value.toFixed(digits));
export const percent = (value: number | null, digits = 1): string =>
  value === null ? "n/a" : `${(value * 100).toFixed(digits)}%`;
export const cores = (value: number | null | undefined): string => (value == null ? "n/a" : value.toFixed(2));

export const cellLabel = (cell: Pick<CellPlan, "scenario" | "target" | "mode" | "topology" | "budgetCores">): string =>
  `${cell.scenario} ${shortTargetLabels[cell.target]} ${topologyLabel(cell.topology)}` +
  `${cell.mode === "fixed-rate" ? " fixed-rate" : ""}${cell.budgetCores === undefined ? "" : ` ${cell.budgetCores} cores`}`;
