import type { CellPlan } from "./bench-results.ts";

/**
 * How long the remaining cells will take, for the progress display's ETA and for deciding
 * whether a disturbed cell can be measured again within the profile's time limit. The
 * overheads were measured on the 2-core machine: generator start and data discovery (about
 * 2 s a run, a warm-up and a measured run per cell), user registration in the mixed
 * scenario, a topology change (origins restarted, NGINX reloaded), an edge start.
 */
export const overheadSeconds = { perRun: 2, mixedSetup: 3, topologyChange: 8, edgeStart: 10, dataReset: 5 } as const;

export const cellSeconds = (cell: CellPlan, timing: { warmupSeconds: number; measureSeconds: number }): number =>
  timing.warmupSeconds +
  timing.measureSeconds +
  2 * overheadSeconds.perRun +
  (cell.scenario === "mixed" ? 2 * overheadSeconds.mixedSetup : 0) +
  // A CPU quota slows the set-up requests as much as the load.
  (cell.budgetCores !== undefined && cell.budgetCores < 1 ? (2 * overheadSeconds.perRun) / cell.budgetCores : 0);

export const remainingSeconds = (
  cells: readonly CellPlan[],
  timing: { warmupSeconds: number; measureSeconds: number },
  primeSeconds = 0,
): number => {
  let seconds = primeSeconds > 0 ? primeSeconds + overheadSeconds.perRun : 0;
  let previous: CellPlan | undefined;
  for (const cell of cells) {
    const topologyChanged =
      previous === undefined ||
      previous.topology.instances !== cell.topology.instances ||
      previous.topology.workers !== cell.topology.workers;
    if (topologyChanged) seconds += overheadSeconds.topologyChange;
    if (cell.target !== "origin" && previous?.target !== cell.target) seconds += overheadSeconds.edgeStart;
    // A cell after one that wrote starts from fresh data; a reader then primes the empty cache.
    if (previous?.scenario === "mixed") {
      seconds += overheadSeconds.dataReset + (cell.scenario === "browse" ? primeSeconds + overheadSeconds.perRun : 0);
    }
    seconds += cellSeconds(cell, timing);
    previous = cell;
  }
  return seconds;
};

export const formatSeconds = (seconds: number): string => {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
};
