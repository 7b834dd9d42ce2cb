import { randomBytes } from "node:crypto";
import { type CpuBudget, cpuBudgetAvailable, createCpuBudget } from "../../stack/cpu-budget.ts";
import type { BenchTarget, CellPlan } from "./bench-results.ts";
import type { BenchStack } from "./bench-stack.ts";
import { budgetPlacement, type CoreSplit } from "./core-split.ts";

/**
 * Puts our stack into the shape a cell needs before it runs: the origin topology, the edge
 * in front (started or stopped), and the CPU budget (a cgroup quota over every tier, and
 * wider pinning when the quota exceeds the pinned cores). Cells come grouped, so most
 * calls change nothing.
 */
export interface CellEnvironment {
  /**
   * Readies the stack for the cell; returns the placement it runs with and whether the data
   * was reset (the cache is then empty), or why it cannot run.
   */
  prepare: (
    cell: CellPlan,
  ) => Promise<{ ok: true; placement: CoreSplit; dataReset: boolean } | { ok: false; reason: string }>;
  /** The cell that ran wrote: the next one starts from the seeded rows again. */
  markWritten: () => void;
  baseUrl: (target: BenchTarget) => string;
  /** Lifts the quota and deletes the cgroup; safe to call twice, and from an exit handler. */
  release: () => void;
  stopEdge: () => Promise<void>;
}

export const createCellEnvironment = (
  stack: BenchStack,
  split: CoreSplit,
  allCores: readonly number[],
): CellEnvironment => {
  let edgeTarget: BenchTarget | undefined;
  let edgeUrl: string | undefined;
  const failedEdges = new Map<BenchTarget, string>();
  let budget: CpuBudget | undefined;
  let placedOn = split.sutCores;
  let written = false;

  const place = async (cores: readonly number[]) => {
    if (cores.join() === placedOn.join()) return;
    await stack.place(cores);
    placedOn = [...cores];
  };

  const stopEdge = async () => {
    await stack.stopEdge();
    edgeTarget = undefined;
    edgeUrl = undefined;
  };

  const release = () => {
    budget?.remove();
    budget = undefined;
  };

  return {
    baseUrl: (target) => {
      if (target === "origin") return stack.nginxUrl();
      if (edgeUrl === undefined || target !== edgeTarget) throw new Error(`${target} is not running`);
      return edgeUrl;
    },
    markWritten: () => {
      written = true;
    },
    prepare: async (cell) => {
      await stack.setTopology(cell.topology);
      const dataReset = written;
      if (written) await stack.resetData();
      written = false;
      if (cell.target === "origin" && edgeTarget !== undefined) await stopEdge();
      if (cell.target !== "origin" && cell.target !== edgeTarget) {
        const failed = failedEdges.get(cell.target);
        if (failed) return { ok: false, reason: failed };
        const availability = await stack.edgeAvailability();
        if (!availability.ok) return { ok: false, reason: availability.reason };
        await stopEdge();
        try {
          edgeUrl = await stack.startEdge(cell.target === "edge-deno" ? "deno" : "wrangler");
          edgeTarget = cell.target;
        } catch (error) {
          const reason = `the edge did not start: ${error instanceof Error ? error.message : String(error)}`;
          failedEdges.set(cell.target, reason);
          return { ok: false, reason };
        }
      }
      if (cell.budgetCores === undefined) {
        budget?.setCores(undefined);
        await place(split.sutCores);
        return { ok: true, placement: split, dataReset };
      }
      if (!cpuBudgetAvailable()) return { ok: false, reason: "CPU budgets need root and the cgroup v1 cpu controller" };
      const placement = budgetPlacement(split, allCores, cell.budgetCores);
      budget ??= createCpuBudget(`conduit-bench-${process.pid}-${randomBytes(3).toString("hex")}`);
      await place(placement.sutCores);
      // Again before every cell: a process forked while the trees were being moved may have been missed.
      await budget.addTrees(Object.values(stack.tierRoots()).flat());
      budget.setCores(cell.budgetCores);
      return { ok: true, placement, dataReset };
    },
    release,
    stopEdge,
  };
};
