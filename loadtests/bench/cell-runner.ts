import { readFile } from "node:fs/promises";
import path from "node:path";
import { processCpu } from "../../stack/process-tree.ts";
import type { LoadSummary } from "../summary/load-summary.ts";
import type { BenchTarget, CellPeaks, CellPlan, CellResult, Tier } from "./bench-results.ts";
import { cpuSnapshot, windowCpu } from "./cpu-accounting.ts";
import { type GeneratorRun, generatorCommand, startGenerator } from "./generator-run.ts";
import type { ServerCounters } from "./server-counters.ts";
import { counterDelta } from "./server-counters.ts";

/**
 * One cell: a warm-up run (caches, JIT, connection pools; its numbers are kept but not
 * used), then the measured run, with the servers' counters and every tier's CPU read at the
 * start and the end of the load, and gauges sampled every second in between.
 */
export interface CellContext {
  baseUrl: (target: BenchTarget) => string;
  /** Root pids per tier; undefined when the stack is not ours (no CPU accounting). */
  tierRoots: (() => Partial<Record<Tier, number[]>>) | undefined;
  counters: ServerCounters;
  placement: CellResult["placement"];
  timing: { warmupSeconds: number; measureSeconds: number; connections: number; disturbedAboveCores: number };
  cellsDir: string;
  ticksPerSecond: number;
  beforeMeasure: () => Promise<void>;
  onPhase: (phase: string, seconds?: number) => void;
  onLive: (live: { phaseElapsedSeconds: number; sutCores: number; foreignCores: number }) => void;
  /** Whether there is time for another measured run of a disturbed cell. */
  mayRetry: () => boolean;
  log: (line: string) => void;
}

const fileName = (id: string) => id.replaceAll("/", "_");

const readSummary = async (file: string): Promise<LoadSummary> =>
  JSON.parse(await readFile(file, "utf8")) as LoadSummary;

const runToEnd = async (run: GeneratorRun) => {
  const generator = startGenerator(run);
  const { code, stderrTail } = await generator.exited;
  if (code !== 0 && code !== 99) throw new Error(`the load generator failed (exit ${code}):\n${stderrTail.join("\n")}`);
};

type Attempt = Omit<CellResult, keyof CellPlan | "attempts">;

const measure = async (plan: CellPlan, context: CellContext, attempt: number): Promise<Attempt> => {
  const run: GeneratorRun = {
    scenario: plan.scenario,
    baseUrl: context.baseUrl(plan.target),
    rate: plan.rate,
    durationSeconds: context.timing.measureSeconds,
    connections: context.timing.connections,
    summaryPath: path.join(context.cellsDir, `${fileName(plan.id)}${attempt > 1 ? `.attempt${attempt}` : ""}.json`),
    cores: context.placement.generatorCores,
  };
  await context.beforeMeasure();
  const roots = context.tierRoots?.() ?? {};
  const reapedBeforeGenerator = (await processCpu(process.pid))?.reapedChildrenTicks ?? 0;
  context.onPhase("set-up");
  const generator = startGenerator(run);
  await generator.loadStarted;
  const windowStart = performance.now();
  const [generatorAtStart, cpuBefore, countsBefore] = await Promise.all([
    processCpu(generator.pid),
    cpuSnapshot(roots),
    context.counters.snapshot(),
  ]);
  context.onPhase("measure", context.timing.measureSeconds);

  const peaks: CellPeaks = { dbConnections: null, poolWaiting: null, eventLoopLagP99Ms: null };
  const higher = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  let previous = { at: windowStart, cpu: cpuBefore };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (!sampling) break;
      const [gauges, cpu] = await Promise.all([context.counters.gauges().catch(() => undefined), cpuSnapshot(roots)]);
      if (gauges) {
        peaks.dbConnections = higher(peaks.dbConnections, gauges.dbConnections);
        peaks.poolWaiting = higher(peaks.poolWaiting, gauges.poolWaiting);
        peaks.eventLoopLagP99Ms = higher(peaks.eventLoopLagP99Ms, gauges.eventLoopLagP99Ms);
      }
      const now = performance.now();
      const seconds = (now - previous.at) / 1000;
      const sut = Object.entries(cpu.tiers).reduce(
        (sum, [tier, ticks]) => sum + ticks - (previous.cpu.tiers[tier as Tier] ?? ticks),
        0,
      );
      const busy = cpu.systemBusy - previous.cpu.systemBusy;
      context.onLive({
        phaseElapsedSeconds: (now - windowStart) / 1000,
        sutCores: sut / context.ticksPerSecond / seconds,
        // Live, the generator is not subtracted: this is "everything else", a rough view.
        foreignCores: Math.max(0, (busy - sut) / context.ticksPerSecond / seconds),
      });
      previous = { at: now, cpu };
    }
  })();

  const { code, stderrTail } = await generator.exited;
  sampling = false;
  const windowSeconds = (performance.now() - windowStart) / 1000;
  const [cpuAfter, countsAfter] = await Promise.all([cpuSnapshot(roots), context.counters.snapshot()]);
  await sampler;
  if (code !== 0 && code !== 99) throw new Error(`the load generator failed (exit ${code}):\n${stderrTail.join("\n")}`);

  const cpu = windowCpu(
    {
      before: cpuBefore,
      after: cpuAfter,
      reapedBeforeGenerator,
      generatorTicksAtStart: generatorAtStart?.ownTicks ?? 0,
      windowSeconds,
    },
    context.ticksPerSecond,
  );
  const ours = context.tierRoots !== undefined;
  return {
    command: generatorCommand(run),
    windowSeconds,
    summary: await readSummary(run.summaryPath),
    server: counterDelta(countsBefore, countsAfter),
    cpuMs: ours ? cpu.tiersMs : null,
    generatorCpuMs: cpu.generatorMs,
    placement: context.placement,
    foreignCores: ours ? cpu.foreignCores : null,
    stealCores: ours ? cpu.stealCores : null,
    disturbed: ours && cpu.foreignCores + cpu.stealCores > context.timing.disturbedAboveCores,
    peaks,
  };
};

/** An unmeasured run of the cell's load: caches, JIT and connection pools reach their steady state. */
export const warmUp = async (
  plan: CellPlan,
  context: CellContext,
  seconds: number,
  name = "warm-up",
): Promise<void> => {
  context.onPhase(name, seconds);
  await runToEnd({
    scenario: plan.scenario,
    baseUrl: context.baseUrl(plan.target),
    rate: plan.rate,
    durationSeconds: seconds,
    connections: context.timing.connections,
    summaryPath: path.join(context.cellsDir, `${fileName(plan.id)}.${name}.json`),
    cores: context.placement.generatorCores,
  });
};

export const runCell = async (plan: CellPlan, context: CellContext): Promise<CellResult> => {
  await warmUp(plan, context, context.timing.warmupSeconds);
  let best = await measure(plan, context, 1);
  let attempts = 1;
  if (best.disturbed && context.mayRetry()) {
    context.log(
      `${plan.id}: ${best.foreignCores?.toFixed(2)} cores used by other processes and ${best.stealCores?.toFixed(2)} ` +
        "stolen by the hypervisor during the run; measuring again",
    );
    attempts = 2;
    try {
      const again = await measure(plan, context, 2);
      const disturbance = (run: Attempt) => (run.foreignCores ?? 0) + (run.stealCores ?? 0);
      if (disturbance(again) < disturbance(best)) best = again;
    } catch (error) {
      // The first measurement stands; the reason the second one failed goes to the log.
      context.log(`${plan.id}: the second measurement failed, keeping the first: ${(error as Error).message}`);
    }
  }
  return { ...plan, attempts, ...best };
};
