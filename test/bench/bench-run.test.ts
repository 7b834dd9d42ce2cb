import { existsSync, readdirSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchResults } from "../../loadtests/bench/bench-results.ts";
import { runBench } from "../../loadtests/bench/bench-run.ts";
import { cellFigures } from "../../loadtests/bench/cell-figures.ts";
import type { ProgressDisplay } from "../../loadtests/bench/progress-display.ts";
import { cgroupCpuRoot, cpuBudgetAvailable } from "../../stack/cpu-budget.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";

/**
 * The bench end to end on a tiny data set: its own stack, one origin-only cell and one
 * CPU-budget cell, every counter read, results.json written, the cgroup gone afterwards.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const cells = ["browse/origin/1x1/saturation", "browse/origin/2x1/saturation/0.5-cores"];
const quiet: ProgressDisplay = { update: () => {}, log: () => {}, stop: () => {} };

let dir: string;
let results: BenchResults;
let groupsBefore: string[];

const benchGroups = () =>
  cpuBudgetAvailable()
    ? readdirSync(cgroupCpuRoot).filter((name) => name.startsWith(`conduit-bench-${process.pid}-`))
    : [];

beforeAll(async () => {
  dir = await scratchDirectory("conduit-bench-run-");
  groupsBefore = benchGroups();
  results = await runBench({
    args: { profile: "small", only: cells, measureSeconds: 2, warmupSeconds: 1, primeSeconds: 0, edgeRuntimes: [] },
    root,
    reportDir: path.join(dir, "report"),
    command: "npm run bench -- (test)",
    progress: quiet,
    dataDir: path.join(dir, "data"),
    seed: { users: 30, articles: 200 },
  });
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a bench run", () => {
  it("measures the cells it was asked for and writes them to results.json", async () => {
    expect(results.skipped).toEqual(cpuBudgetAvailable() ? [] : [expect.objectContaining({ id: cells[1] })]);
    expect(results.cells.map((cell) => cell.id)).toEqual(cpuBudgetAvailable() ? cells : cells.slice(0, 1));
    const written = JSON.parse(await readFile(path.join(dir, "report", "results.json"), "utf8")) as BenchResults;
    expect(written.cells.map((cell) => cell.id)).toEqual(results.cells.map((cell) => cell.id));
    expect(existsSync(path.join(dir, "report", "stack-output.log"))).toBe(true);
  });

  it("counts what reached the origin, Postgres and Redis, and every tier's CPU", () => {
    const [cell] = results.cells;
    if (!cell) throw new Error("no cell ran");
    const figures = cellFigures(cell);
    expect(cell.summary.requests.total).toBeGreaterThan(100);
    expect(cell.summary.requests.failed).toBe(0);
    // Origin-only: every client request reaches an origin instance. The origin also answers
    // what was in flight when the load stopped (at most one request per connection), which
    // the generator no longer counts; the first snapshot may miss the first few requests.
    const requests = cell.summary.requests.total;
    expect(cell.server.originRequests).toBeGreaterThan(requests * 0.95);
    expect(cell.server.originRequests).toBeLessThanOrEqual(requests + cell.summary.load.connections);
    expect(figures.originRequestsPerRequest).toBeGreaterThan(0.95);
    expect(cell.server.dbStatements).toBeGreaterThanOrEqual(0);
    expect(cell.server.redisCommands).toBeGreaterThan(0);
    expect(Object.keys(cell.cpuMs ?? {}).sort()).toEqual(["nginx", "origin", "postgres", "redis"]);
    expect(cell.cpuMs?.origin).toBeGreaterThan(0);
    expect(cell.generatorCpuMs).toBeGreaterThan(0);
    expect(cell.foreignCores).not.toBeNull();
  });

  it.runIf(cpuBudgetAvailable())("holds the system under test to its CPU quota and removes the cgroup after", () => {
    const budget = results.cells.find((cell) => cell.budgetCores === 0.5);
    const used = budget ? cellFigures(budget).sutCoresUsed : null;
    expect(used).not.toBeNull();
    // The quota is enforced per 100 ms period, so a window of 2 s may overshoot a little.
    expect(used ?? 1).toBeLessThan(0.6);
    expect(benchGroups()).toEqual(groupsBefore);
  });
});
