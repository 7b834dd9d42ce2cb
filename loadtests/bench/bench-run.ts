import { mkdir, writeFile } from "node:fs/promises";
import { cpus, release } from "node:os";
import path from "node:path";
import { type SeedSizes, seedPlan } from "../../origin/seed/seed-plan.ts";
import { allowedCores, pinProcessTree } from "../../stack/core-pinning.ts";
import { clockTicksPerSecond } from "../../stack/process-tree.ts";
import type { BenchArgs } from "./bench-args.ts";
import { planCells, selectCells } from "./bench-plan.ts";
import { type BenchProfile, benchProfile } from "./bench-profiles.ts";
import { type BenchResults, type BenchTarget, benchResultsSchema, type CellPlan } from "./bench-results.ts";
import { type BenchStack, startBenchStack } from "./bench-stack.ts";
import { createCellEnvironment } from "./cell-environment.ts";
import { type CellContext, runCell, warmUp } from "./cell-runner.ts";
import { splitCores } from "./core-split.ts";
import type { ProgressDisplay } from "./progress-display.ts";
import { waitForQuiet } from "./quiet-gate.ts";
import { cellSeconds, formatSeconds, remainingSeconds } from "./run-estimate.ts";
import { openServerCounters, type ServerCounters } from "./server-counters.ts";

/**
 * A whole bench run: the plan for this machine and profile, our stack (or a running one),
 * every cell in order, results.json rewritten after each cell so an interrupted run keeps
 * what it measured. Ctrl-C finishes the current cell, then stops.
 */
export interface BenchRunOptions {
  args: BenchArgs;
  root: string;
  reportDir: string;
  command: string;
  progress: ProgressDisplay;
  /** Where seeded templates and the run's data live (default <root>/.data/bench); tests use their own. */
  dataDir?: string;
  /** Another data set than the profile's (tests seed a tiny one). */
  seed?: SeedSizes;
}

const dbPoolMax = 10;

const effectiveProfile = (args: BenchArgs, sutCores: number): BenchProfile => {
  const profile = benchProfile(args.profile, sutCores);
  return {
    ...profile,
    ...(args.measureSeconds === undefined ? {} : { measureSeconds: args.measureSeconds }),
    ...(args.warmupSeconds === undefined ? {} : { warmupSeconds: args.warmupSeconds }),
    ...(args.primeSeconds === undefined ? {} : { primeSeconds: args.primeSeconds }),
    ...(args.connections === undefined ? {} : { connections: args.connections }),
    ...(args.edgeRuntimes === undefined ? {} : { edgeRuntimes: args.edgeRuntimes }),
  };
};

export const runBench = async (options: BenchRunOptions): Promise<BenchResults> => {
  const { args, root, reportDir, command, progress } = options;
  const startedAt = new Date();
  const allCores = await allowedCores();
  const split = splitCores(allCores);
  const profile = effectiveProfile(args, split.sutCores.length);
  const external = args.external;
  const cells = selectCells(
    planCells({
      ...profile,
      edgeRuntimes: external ? (external.edgeUrl ? [external.edgeRuntime] : []) : profile.edgeRuntimes,
      ownStack: external === undefined,
    }),
    args.only,
  );
  const plan = seedPlan({
    ...(options.seed ?? profile.seed),
    ...(args.seedComments === undefined ? {} : { comments: args.seedComments }),
  });
  const maxProcesses = Math.max(...profile.instances) * Math.max(...profile.workers);
  // Room for every pool at the largest topology, plus the bench's own and Postgres' reserved connections.
  const postgresMaxConnections = Math.max(200, maxProcesses * dbPoolMax + 20);
  progress.log(
    `${cells.length} cells, about ${formatSeconds(remainingSeconds(cells, profile, external ? 0 : profile.primeSeconds))} of load; ` +
      `system under test on core(s) ${split.sutCores.join(",")}, load generator on core(s) ${split.generatorCores.join(",")}` +
      (split.shared ? " (shared: this machine has one core)" : ""),
  );
  const cellsDir = path.join(reportDir, "cells");
  await mkdir(cellsDir, { recursive: true });

  const results: BenchResults = {
    schema: benchResultsSchema,
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    command,
    profile: {
      name: profile.name,
      measureSeconds: profile.measureSeconds,
      warmupSeconds: profile.warmupSeconds,
      connections: profile.connections,
      saturationRate: profile.saturationRate,
      disturbedAboveCores: profile.disturbedAboveCores,
      quietWaitSeconds: args.quietWaitSeconds ?? 0,
    },
    machine: {
      cores: allCores.length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      kernel: release(),
    },
    stack: external
      ? {
          mode: "external",
          seed: null,
          seedReused: null,
          dbPoolMax: null,
          postgresMaxConnections: null,
          nginxWorkers: null,
          notes: [`a running stack at ${external.baseUrl}: comparison cells only, no CPU accounting`],
        }
      : {
          mode: "own",
          seed: plan,
          seedReused: null,
          dbPoolMax,
          postgresMaxConnections,
          nginxWorkers: split.sutCores.length,
          notes: [
            "origins run with NODE_ENV=production, RATE_LIMIT=off, LOG_LEVEL=warn, the Redis response cache on",
            `the edge runs on deno serve --parallel with ${Math.max(2, split.sutCores.length)} isolates, and on wrangler dev; ` +
              "origins are not given EDGE_PURGE_URLS: every write of a run goes through the edge, which purges itself",
          ],
        },
    cells: [],
    skipped: [],
  };
  const save = async () => {
    results.finishedAt = new Date().toISOString();
    await writeFile(path.join(reportDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  };

  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    progress.log("interrupted: finishing the current cell, then stopping");
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);

  let stack: BenchStack | undefined;
  let counters: ServerCounters | undefined;
  let releaseBudget = () => {};
  process.once("exit", () => releaseBudget());
  try {
    if (!external) {
      // Children inherit our affinity: the stack's processes start on the system-under-test cores.
      await pinProcessTree(process.pid, split.sutCores);
      stack = await startBenchStack({
        benchDir: options.dataDir ?? path.join(root, ".data", "bench"),
        seed: plan,
        sutCores: split.sutCores,
        dbPoolMax,
        postgresMaxConnections,
        outputPath: path.join(reportDir, "stack-output.log"),
        log: progress.log,
      });
      results.stack.seedReused = stack.seeded.reused;
    }
    const ownStack = stack;
    counters = await openServerCounters(
      ownStack
        ? { originUrls: ownStack.originUrls, databaseUrl: ownStack.databaseUrl, redisUrl: ownStack.redisUrl }
        : {
            originUrls: () => external?.metricsUrls ?? [],
            databaseUrl: external?.databaseUrl,
            redisUrl: external?.redisUrl,
          },
    );
    const environment = ownStack ? createCellEnvironment(ownStack, split, allCores) : undefined;
    releaseBudget = () => environment?.release();
    const externalUrl = (target: BenchTarget) => (target === "origin" ? external?.baseUrl : external?.edgeUrl) ?? "";

    const ticksPerSecond = await clockTicksPerSecond();
    // A running stack is warm already.
    let primed = external !== undefined;
    // How much longer cells really take than run-estimate.ts says (retries, a loaded machine).
    let modelledSeconds = 0;
    let actualSeconds = 0;
    const calibration = () => (modelledSeconds > 0 ? Math.max(1, actualSeconds / modelledSeconds) : 1);
    for (const [index, cell] of cells.entries()) {
      if (interrupted) {
        results.skipped.push(...cells.slice(index).map((rest) => ({ id: rest.id, reason: "interrupted" })));
        break;
      }
      const rest = cells.slice(index + 1);
      const remaining = () =>
        calibration() * remainingSeconds([cell, ...rest], profile, primed ? 0 : profile.primeSeconds);
      const status = { cellIndex: index, cellCount: cells.length, cellId: cell.id };
      progress.update({ ...status, phase: "preparing", remainingSeconds: remaining() });
      const prepared = environment
        ? await environment.prepare(cell)
        : { ok: true as const, placement: split, dataReset: false };
      if (!prepared.ok) {
        results.skipped.push({ id: cell.id, reason: prepared.reason });
        progress.log(`skipped ${cell.id}: ${prepared.reason}`);
        continue;
      }
      let phaseStarted = performance.now();
      const context: CellContext = {
        baseUrl: environment ? environment.baseUrl : externalUrl,
        tierRoots: ownStack?.tierRoots,
        counters,
        placement: prepared.placement,
        timing: { ...profile },
        cellsDir,
        ticksPerSecond,
        beforeMeasure: async () => {
          if (!ownStack) return;
          await ownStack.truncateAccessLog();
          await waitForQuiet({
            maxWaitSeconds: args.quietWaitSeconds ?? 0,
            belowCores: profile.disturbedAboveCores,
            roots: () => Object.values(ownStack.tierRoots()).flat(),
            ticksPerSecond,
            onWait: (foreignCores, waitedSeconds) =>
              progress.update({
                ...status,
                phase: `waiting for quiet (others use ${foreignCores.toFixed(2)} cores)`,
                phaseElapsedSeconds: waitedSeconds,
                remainingSeconds: remaining(),
              }),
          });
        },
        onPhase: (phase, seconds) => {
          phaseStarted = performance.now();
          progress.update({
            ...status,
            phase,
            ...(seconds === undefined ? {} : { phaseSeconds: seconds }),
            remainingSeconds: remaining(),
          });
        },
        onLive: (live) =>
          progress.update({
            ...status,
            phase: "measure",
            phaseSeconds: profile.measureSeconds,
            ...live,
            remainingSeconds: Math.max(0, remaining() - (performance.now() - phaseStarted) / 1000),
          }),
        // process.uptime: the limit is on the whole run, stack start and seeding included.
        mayRetry: () =>
          process.uptime() + calibration() * (cellSeconds(cell, profile) + remainingSeconds(rest, profile)) <
          profile.timeLimitMinutes * 60,
        log: progress.log,
      };
      try {
        // After a reset the cache is empty again: a reader cell primes it as fully as the first
        // one was, or browse cells would compare a warm cache with a cold one (writers mostly
        // bypass it). A run of 2026-12-06 primed a quarter: the cells after a reset sent ten
        // times more queries per request to Postgres than the first.
        const primeSeconds = !primed || (prepared.dataReset && cell.scenario === "browse") ? profile.primeSeconds : 0;
        if (ownStack && primeSeconds >= 1) {
          await warmUp({ ...cell, scenario: "browse", rate: profile.saturationRate }, context, primeSeconds, "prime");
        }
        primed = true;
        const cellStarted = performance.now();
        if (cell.scenario === "mixed") environment?.markWritten();
        const result = await runCell(cell, context);
        modelledSeconds += cellSeconds(cell, profile);
        actualSeconds += (performance.now() - cellStarted) / 1000;
        results.cells.push(result);
        progress.log(cellLine(result, cell));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        results.skipped.push({ id: cell.id, reason });
        progress.log(`failed ${cell.id}: ${reason}`);
        if (ownStack) progress.log(ownStack.recentOutput().slice(-20).join("\n"));
      }
      await save();
    }
    if (environment) {
      environment.release();
      await environment.stopEdge();
    }
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    releaseBudget();
    await counters?.close();
    await stack?.stop();
    // The bench pinned itself so its children would start on the system-under-test cores.
    if (!external) await pinProcessTree(process.pid, allCores);
    await save();
  }
  return results;
};

const cellLine = (result: BenchResults["cells"][number], cell: CellPlan) => {
  const summary = result.summary;
  return (
    `done ${cell.id}: ${Math.round(summary.requests.throughput)} req/s, p50 ${summary.latencyMs.p50.toFixed(1)} ms, ` +
    `p99 ${summary.latencyMs.p99.toFixed(1)} ms, errors ${(summary.requests.errorRate * 100).toFixed(2)}%` +
    (result.foreignCores === null ? "" : `, foreign ${result.foreignCores.toFixed(2)} cores`) +
    (result.stealCores === null ? "" : `, steal ${result.stealCores.toFixed(2)}`) +
    (result.disturbed ? " (disturbed)" : "")
  );
};
