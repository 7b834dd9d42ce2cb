import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faultCatalog } from "../../loadtests/faults/fault-catalog.ts";
import { type FaultsBenchRun, runFaultsBench } from "../../loadtests/faults/faults-bench.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";

/**
 * npm run bench:faults, short, on a tiny data set: a worker killed and Redis stopped under
 * a steady load of reads and writes, on the bench's own stack. Every promise must hold and
 * every answered write must be in Postgres.
 */
const faultIds = ["worker-kill", "redis-outage"];
let dir: string;
let run: FaultsBenchRun;

beforeAll(async () => {
  dir = await scratchDirectory("conduit-faults-run-");
  run = await runFaultsBench({
    faults: faultCatalog.filter((fault) => faultIds.includes(fault.id)),
    durationSeconds: 8,
    faultAtSeconds: 2,
    rate: 50,
    connections: 16,
    reportDir: path.join(dir, "report"),
    dataDir: path.join(dir, "data"),
    seed: { users: 30, articles: 200 },
    warmupSeconds: 2,
    log: () => {},
  });
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a fault run", () => {
  it("injects every fault it was asked for into the load and keeps every promise", () => {
    expect(run.error).toBeUndefined();
    expect(run.results.map((result) => result.id)).toEqual(faultIds);
    for (const result of run.results) {
      expect(result.summary.requests.total, result.id).toBeGreaterThan(200);
      expect(result.broken, result.id).toEqual([]);
      expect(result.recovered, result.id).toBe(true);
    }
  });

  it("finds every write the clients were told succeeded in Postgres", () => {
    for (const result of run.results) {
      const creates = result.ledger.reduce((sum, line) => sum + line.answeredOk, 0);
      expect(creates, `${result.id}: creates answered`).toBeGreaterThan(0);
      expect(result.ledger.map((line) => line.lost)).toEqual([0, 0]);
    }
  });

  it("writes results.json as it goes", async () => {
    const written = JSON.parse(await readFile(path.join(dir, "report", "results.json"), "utf8")) as { id: string }[];
    expect(written.map((result) => result.id)).toEqual(faultIds);
  });
});
