import { scenarioCatalog } from "../scenarios/catalog.ts";
import type { EdgeRuntime } from "./bench-profiles.ts";
import type { BenchScenario, BenchTarget, CellPlan, LoadMode, Topology } from "./bench-results.ts";

/**
 * The cells of a bench run, in the order they run: grouped by topology so the origins
 * restart as rarely as possible, the comparison topology last, because the edge-fronted and
 * CPU-budget cells run on it too.
 */
export interface PlanInput {
  scenarios: readonly BenchScenario[];
  workers: readonly number[];
  instances: readonly number[];
  comparisonTopology: Topology;
  budgets: readonly number[];
  edgeRuntimes: readonly EdgeRuntime[];
  saturationRate: number;
  /** Our own stack (every group) or someone else's (only the comparison, on its topology). */
  ownStack: boolean;
}

/** A running stack's topology is not ours to know: 0 instances of 0 workers. */
export const runningStackTopology: Topology = { instances: 0, workers: 0 };

export const topologyLabel = (topology: Topology): string =>
  topology.instances === 0 ? "running-stack" : `${topology.instances}x${topology.workers}`;

export const cellId = (plan: Omit<CellPlan, "id" | "group" | "rate">): string =>
  [
    plan.scenario,
    plan.target,
    topologyLabel(plan.topology),
    plan.mode,
    ...(plan.budgetCores === undefined ? [] : [`${plan.budgetCores}-cores`]),
  ].join("/");

const sameTopology = (a: Topology, b: Topology) => a.instances === b.instances && a.workers === b.workers;

export const edgeTarget = (runtime: EdgeRuntime): BenchTarget => (runtime === "deno" ? "edge-deno" : "edge-wrangler");

export const planCells = (input: PlanInput): CellPlan[] => {
  const cells: CellPlan[] = [];
  const add = (
    group: CellPlan["group"],
    scenario: BenchScenario,
    target: BenchTarget,
    topology: Topology,
    mode: LoadMode,
    budgetCores?: number,
  ) => {
    const rate = mode === "saturation" ? input.saturationRate : scenarioCatalog[scenario].defaults.rate;
    const plan = { scenario, target, topology, mode, ...(budgetCores === undefined ? {} : { budgetCores }) };
    cells.push({ id: cellId(plan), group, rate, ...plan });
  };

  const comparison = input.ownStack ? input.comparisonTopology : runningStackTopology;
  if (input.ownStack) {
    const topologies = input.instances
      .flatMap((instances) => input.workers.map((workers) => ({ instances, workers })))
      .filter((topology) => !sameTopology(topology, comparison));
    for (const topology of topologies) {
      for (const scenario of input.scenarios) add("scaling", scenario, "origin", topology, "saturation");
    }
  }
  const comparisonInMatrix =
    input.instances.includes(comparison.instances) && input.workers.includes(comparison.workers);
  for (const scenario of input.scenarios) {
    add(input.ownStack && comparisonInMatrix ? "scaling" : "comparison", scenario, "origin", comparison, "saturation");
    add("comparison", scenario, "origin", comparison, "fixed-rate");
  }
  for (const runtime of input.edgeRuntimes) {
    for (const scenario of input.scenarios) {
      add("comparison", scenario, edgeTarget(runtime), comparison, "saturation");
      // wrangler dev saturates below the scenarios' own rates: a fixed-rate run would repeat the saturation one.
      if (runtime === "deno") add("comparison", scenario, edgeTarget(runtime), comparison, "fixed-rate");
    }
  }
  if (input.ownStack) {
    for (const budget of input.budgets) add("budget", "browse", "origin", comparison, "saturation", budget);
  }
  return cells;
};

/**
 * `--only`: a pattern that is a whole cell id selects that cell; any other selects the cells
 * whose id contains it. No pattern: every cell.
 */
export const selectCells = (cells: readonly CellPlan[], patterns: readonly string[]): CellPlan[] => {
  if (patterns.length === 0) return [...cells];
  const ids = new Set(cells.map((cell) => cell.id));
  const matches = (id: string, pattern: string) => (ids.has(pattern) ? id === pattern : id.includes(pattern));
  return cells.filter((cell) => patterns.some((pattern) => matches(cell.id, pattern)));
};
