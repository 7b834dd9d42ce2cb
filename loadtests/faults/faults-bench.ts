import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { type SeedSizes, seedPlan } from "../../origin/seed/seed-plan.ts";
import { allowedCores, pinProcessTree } from "../../stack/core-pinning.ts";
import { startBenchStack } from "../bench/bench-stack.ts";
import { splitCores } from "../bench/core-split.ts";
import { type GeneratorRun, startGenerator } from "../bench/generator-run.ts";
import { scenarioCatalog } from "../scenarios/catalog.ts";
import type { Fault } from "./fault-catalog.ts";
import { type FaultResult, runFault } from "./fault-run.ts";

/**
 * design.md's third question, measured: on the bench's own stack (seeded data, two
 * instances of two workers behind NGINX, the edge on deno serve for the faults behind it),
 * each fault is injected into a steady load after an unmeasured warm-up. results.json is
 * rewritten after each fault, so an interrupted run keeps what it measured.
 */
export interface FaultsBenchOptions {
  faults: readonly Fault[];
  durationSeconds: number;
  faultAtSeconds: number;
  /** Requests per second; default per scenario (defaultRates). */
  rate: number | undefined;
  connections: number;
  reportDir: string;
  /** Seeded templates and the run's data (the bench's .data/bench by default). */
  dataDir: string;
  seed: SeedSizes;
  warmupSeconds: number;
  log: (line: string) => void;
}

export interface FaultsBenchRun {
  results: FaultResult[];
  /** What the report must say about how the numbers were made. */
  notes: string[];
  /** Why the run stopped before its last fault, if it did. */
  error: string | undefined;
}

/**
 * Below capacity, so what fails is the fault's doing, not queueing: two instances of two
 * workers on one core carry about 150 req/s of mixed (a first run at mixed's own 200 had a
 * p99 of 1.7 s with no fault at all). The edge serves browse from its cache at 500 easily.
 */
export const defaultRates = { mixed: 100, browse: scenarioCatalog.browse.defaults.rate };

const topology = { instances: 2, workers: 2 };

/** Every URL answers 200 within 20 s. */
const everyPartAnswers = async (urls: readonly string[]): Promise<boolean> => {
  const answers = (url: string) =>
    fetch(url, { signal: AbortSignal.timeout(2_000) })
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status === 200;
      })
      .catch(() => false);
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    if ((await Promise.all(urls.map(answers))).every(Boolean)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
};

export const runFaultsBench = async (options: FaultsBenchOptions): Promise<FaultsBenchRun> => {
  const { log, reportDir } = options;
  await mkdir(path.join(reportDir, "cells"), { recursive: true });
  const allCores = await allowedCores();
  const split = splitCores(allCores);
  const load = (scenario: Fault["scenario"], baseUrl: string, durationSeconds: number, name: string): GeneratorRun => ({
    scenario,
    baseUrl,
    rate: options.rate ?? defaultRates[scenario],
    durationSeconds,
    connections: options.connections,
    summaryPath: path.join(reportDir, "cells", `${name}.json`),
    cores: split.generatorCores,
  });
  const notes = [
    `system under test pinned to core(s) ${split.sutCores.join(",")}, load generator to core(s) ${split.generatorCores.join(",")}`,
    `${topology.instances} origin instances x ${topology.workers} workers behind NGINX, Redis response cache on, RATE_LIMIT=off`,
    `data: ${options.seed.users} users, ${options.seed.articles} articles; each fault ${options.faultAtSeconds} s into ` +
      `${options.durationSeconds} s of load, after ${options.warmupSeconds} s of unmeasured mixed`,
    "creates stored can exceed creates answered ok: the runner does not count requests still in flight when a load step ends, but the server carries them out",
    "failed counts answers outside 200-399 and requests with no answer; reads / POSTs / unanswered splits them (NGINX retries only the idempotent ones)",
  ];

  // The stack's processes inherit our affinity as they start: the system-under-test cores.
  await pinProcessTree(process.pid, split.sutCores);
  const stack = await startBenchStack({
    benchDir: options.dataDir,
    seed: seedPlan(options.seed),
    sutCores: split.sutCores,
    dbPoolMax: 10,
    postgresMaxConnections: 200,
    outputPath: path.join(reportDir, "stack-output.log"),
    log,
  });
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  const countRows = async () => {
    const [row] = await sql<{ comments: number; articles: number }[]>`
      select (select count(*) from comments)::int as comments, (select count(*) from articles)::int as articles`;
    return { createComment: row?.comments ?? 0, createArticle: row?.articles ?? 0 };
  };
  const results: FaultResult[] = [];
  let error: string | undefined;
  try {
    await stack.setTopology(topology);
    // JIT, pools and the Redis cache warm, so the first fault is measured as the others are.
    log(`warming up: ${options.warmupSeconds} s of mixed`);
    await startGenerator(load("mixed", stack.nginxUrl(), options.warmupSeconds, "warm-up")).exited;
    let edgeUrl: string | undefined;
    for (const fault of options.faults) {
      if (fault.target === "edge" && edgeUrl === undefined) {
        edgeUrl = await stack.startEdge("deno");
        log("filling the edge's cache: 10 s of browse before its fault");
        await startGenerator(load("browse", edgeUrl, 10, "edge-fill")).exited;
      }
      const baseUrl = fault.target === "edge" ? (edgeUrl ?? "") : stack.nginxUrl();
      log(
        `${fault.id}: ${fault.description}, ${options.faultAtSeconds} s into ${options.durationSeconds} s of ${fault.scenario}`,
      );
      const result = await runFault({
        fault,
        load: load(fault.scenario, baseUrl, options.durationSeconds, fault.id),
        faultAtSeconds: options.faultAtSeconds,
        controls: { interrupt: stack.interrupt, instancePids: () => stack.tierRoots().origin ?? [] },
        countRows,
        recovered: () => everyPartAnswers([`${baseUrl}/api/tags`, ...stack.originUrls().map((url) => `${url}/readyz`)]),
      });
      results.push(result);
      log(
        `${fault.id}: ${result.broken.length === 0 ? "promise held" : `promise broken: ${result.broken.join("; ")}`}`,
      );
      await writeFile(path.join(reportDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    }
  } catch (caught) {
    error = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
    log(error);
    log(stack.recentOutput().slice(-20).join("\n"));
  } finally {
    await sql.end({ timeout: 1 });
    await stack.stop();
    await pinProcessTree(process.pid, allCores);
  }
  return { results, notes, error };
};
