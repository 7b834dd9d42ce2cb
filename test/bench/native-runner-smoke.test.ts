import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BenchStack, startBenchStack } from "../../loadtests/bench/bench-stack.ts";
import type { LoadSummary } from "../../loadtests/summary/load-summary.ts";
import { seedPlan } from "../../origin/seed/seed-plan.ts";
import { allowedCores } from "../../stack/core-pinning.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";

/**
 * The CI smoke run: the native runner, a few seconds at a small rate, against the stack the
 * bench starts (Postgres with a tiny seed, Redis, an origin instance, NGINX in front). The
 * summary it writes must carry every figure the reports read, and no request may fail.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

let dir: string;
let stack: BenchStack;

beforeAll(async () => {
  dir = await scratchDirectory("conduit-smoke-");
  stack = await startBenchStack({
    benchDir: dir,
    seed: seedPlan({ users: 30, articles: 200 }),
    sutCores: await allowedCores(),
    dbPoolMax: 4,
    postgresMaxConnections: 50,
    outputPath: path.join(dir, "stack-output.log"),
    log: () => {},
  });
  await stack.setTopology({ instances: 1, workers: 2 });
});

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

const runNative = async (scenario: "browse" | "mixed", rate: number): Promise<LoadSummary> => {
  const summaryPath = path.join(dir, `${scenario}.json`);
  const args = ["loadtests/run.ts", "--driver", "native", "--scenario", scenario, "--base-url", stack.nginxUrl()];
  await run(
    process.execPath,
    [
      ...args,
      "--rate",
      String(rate),
      "--duration",
      "3s",
      "--connections",
      "8",
      "--users",
      "3",
      "--summary",
      summaryPath,
    ],
    { cwd: root },
  );
  return JSON.parse(await readFile(summaryPath, "utf8")) as LoadSummary;
};

const expectComplete = (summary: LoadSummary, rate: number) => {
  expect(summary.driver.name).toBe("native");
  // Within a tenth of the rate asked for: the server keeps up easily at this load.
  expect(summary.requests.throughput).toBeGreaterThan(rate * 0.9);
  expect(summary.requests.throughput).toBeLessThan(rate * 1.1);
  const { p50, p95, p99 } = summary.latencyMs;
  expect(p50).toBeGreaterThan(0);
  expect(p95).toBeGreaterThanOrEqual(p50);
  expect(p99).toBeGreaterThanOrEqual(p95);
  expect(summary.requests.failed).toBe(0);
  expect(Object.keys(summary.statusCounts).every((status) => Number(status) >= 200 && Number(status) < 400)).toBe(true);
  expect(Object.values(summary.statusCounts).reduce((sum, count) => sum + count, 0)).toBe(summary.requests.total);
  expect(summary.ok).toBe(true);
};

describe("the native runner against a started stack", () => {
  it("reports throughput, p50/p95/p99 and status counts for anonymous readers, without errors", async () => {
    const summary = await runNative("browse", 40);
    expectComplete(summary, 40);
    expect(summary.statusCounts["200"]).toBe(summary.requests.total);
  });

  it("does the same for logged-in users who write", async () => {
    const summary = await runNative("mixed", 20);
    expectComplete(summary, 20);
    expect(Object.keys(summary.byName)).toContain("getArticle");
  });
});
