import { processCpu, systemCpuTicks, treeCpuTicks } from "../../stack/process-tree.ts";
import type { Tier } from "./bench-results.ts";

/**
 * CPU time by tier during a cell, and what the rest of the machine used meanwhile. The
 * generator is a child of the bench: its whole life lands in our reaped-children time when
 * it exits, so its window is that minus what it had used when the load began.
 */
export interface CpuSnapshot {
  tiers: Partial<Record<Tier, number>>;
  systemBusy: number;
  systemSteal: number;
  selfOwn: number;
  selfReaped: number;
}

export const cpuSnapshot = async (roots: Partial<Record<Tier, number[]>>): Promise<CpuSnapshot> => {
  const tiers: Partial<Record<Tier, number>> = {};
  for (const [tier, pids] of Object.entries(roots) as [Tier, number[]][]) {
    if (pids.length === 0) continue;
    let ticks = 0;
    for (const pid of pids) ticks += await treeCpuTicks(pid);
    tiers[tier] = ticks;
  }
  const self = await processCpu(process.pid);
  const system = (await systemCpuTicks()).get("cpu");
  return {
    tiers,
    systemBusy: system?.busy ?? 0,
    systemSteal: system?.steal ?? 0,
    selfOwn: self?.ownTicks ?? 0,
    selfReaped: self?.reapedChildrenTicks ?? 0,
  };
};

export interface WindowCpu {
  tiersMs: Partial<Record<Tier, number>>;
  generatorMs: number;
  /** Cores' worth used by everything that is neither a tier, the generator, nor the bench itself. */
  foreignCores: number;
  /** Cores' worth the hypervisor gave to other guests while ours wanted to run. */
  stealCores: number;
}

export const windowCpu = (
  options: {
    before: CpuSnapshot;
    after: CpuSnapshot;
    /** Our reaped-children time before the generator started. */
    reapedBeforeGenerator: number;
    /** The generator's own ticks when the load began. */
    generatorTicksAtStart: number;
    windowSeconds: number;
  },
  ticksPerSecond: number,
): WindowCpu => {
  const { before, after } = options;
  const ms = (ticks: number) => (ticks * 1000) / ticksPerSecond;
  const tiersMs: Partial<Record<Tier, number>> = {};
  let tierTicks = 0;
  for (const [tier, ticks] of Object.entries(after.tiers) as [Tier, number][]) {
    const delta = Math.max(0, ticks - (before.tiers[tier] ?? ticks));
    tiersMs[tier] = ms(delta);
    tierTicks += delta;
  }
  const generatorTicks = Math.max(0, after.selfReaped - options.reapedBeforeGenerator - options.generatorTicksAtStart);
  const ours = tierTicks + generatorTicks + (after.selfOwn - before.selfOwn);
  const stealTicks = Math.max(0, after.systemSteal - before.systemSteal);
  const foreignTicks = Math.max(0, after.systemBusy - before.systemBusy - stealTicks - ours);
  const cores = (ticks: number) => (options.windowSeconds > 0 ? ms(ticks) / 1000 / options.windowSeconds : 0);
  return { tiersMs, generatorMs: ms(generatorTicks), foreignCores: cores(foreignTicks), stealCores: cores(stealTicks) };
};
