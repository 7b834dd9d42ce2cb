import { processCpu, systemCpuTicks, treeCpuTicks } from "../../stack/process-tree.ts";

/**
 * On a shared machine, other people's processes come and go. Before a measured run, wait
 * (up to a limit) until what is not ours (busy time minus our trees and this process) has
 * stayed below the disturbance threshold for a few seconds in a row. It only delays runs;
 * every window is still checked for disturbance afterwards.
 */
export interface QuietGateOptions {
  maxWaitSeconds: number;
  belowCores: number;
  roots: () => number[];
  ticksPerSecond: number;
  onWait: (foreignCores: number, waitedSeconds: number) => void;
}

const quietSecondsNeeded = 3;

const ourTicks = async (roots: readonly number[]) => {
  let ticks = (await processCpu(process.pid))?.ownTicks ?? 0;
  for (const root of roots) ticks += await treeCpuTicks(root);
  return ticks;
};

/** Resolves with the seconds it waited. */
export const waitForQuiet = async (options: QuietGateOptions): Promise<number> => {
  if (options.maxWaitSeconds <= 0) return 0;
  const started = performance.now();
  let quietFor = 0;
  let previous = { busy: (await systemCpuTicks()).get("cpu")?.busy ?? 0, ours: await ourTicks(options.roots()) };
  while ((performance.now() - started) / 1000 < options.maxWaitSeconds) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = { busy: (await systemCpuTicks()).get("cpu")?.busy ?? 0, ours: await ourTicks(options.roots()) };
    const foreign = Math.max(0, now.busy - previous.busy - (now.ours - previous.ours)) / options.ticksPerSecond;
    previous = now;
    quietFor = foreign < options.belowCores ? quietFor + 1 : 0;
    if (quietFor >= quietSecondsNeeded) break;
    options.onWait(foreign, (performance.now() - started) / 1000);
  }
  return (performance.now() - started) / 1000;
};
