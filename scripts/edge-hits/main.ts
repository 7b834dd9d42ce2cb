import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseCpuList } from "../../stack/core-pinning.ts";
import { freePort } from "../../stack/free-port.ts";
import { clockTicksPerSecond, systemCpuTicks, treeCpuTicks } from "../../stack/process-tree.ts";
import { profileDuring, summariseProfile } from "./cpu-profile.ts";
import { startOriginTier } from "./origin-tier.ts";
import { describeRun, format, type MeasuredCell, type Measurement, medianRate, medianTable } from "./report.ts";
import { seedHotReads } from "./seed-reads.ts";
import { type HitTarget, startBareMapTarget, startEdgeTarget } from "./targets.ts";
import { runWrk } from "./wrk.ts";

/**
 * `npm run bench:edge-hits`: the edge's hit path alone. A real origin tier (Postgres,
 * Redis, one origin instance) fills the edge once; then wrk, on its own core, reads only
 * warm keys, so every answer is an edge HIT (checked: the origin sees no request during a
 * run, and wrk no error). Measured beside it, on the same core and under the same load: the
 * bare `Map` server, the floor design.md compares the edge with. Rounds interleave the
 * servers, so a neighbour's burst on this shared machine hurts all of them alike; the table
 * gives medians. `--profile <dir>` then writes a CPU profile of a one-isolate edge under
 * the same load (the inspector attached slows it: read it for the shape, not the rate).
 */
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "8" },
    "warmup-seconds": { type: "string", default: "2" },
    connections: { type: "string", default: "64" },
    "edge-cpus": { type: "string", default: "0" },
    "load-cpus": { type: "string", default: "1" },
    isolates: { type: "string", default: "1,2" },
    profile: { type: "string" },
    "no-assert": { type: "boolean", default: false },
  },
});

/** The goal, in numbers: one isolate on one core, over the mix of hot reads. */
const minimumOneIsolateHitsPerSecond = 10_000;

const seconds = Number(values.seconds);
const warmupSeconds = Number(values["warmup-seconds"]);
const edgeCores = parseCpuList(values["edge-cpus"]);
const listPath = "/api/articles?limit=20";
const mixName = "mix of hot reads";

const hz = await clockTicksPerSecond();
const busyTicksOfEdgeCores = async () => {
  const lines = await systemCpuTicks();
  return edgeCores.reduce((sum, core) => sum + (lines.get(`cpu${core}`)?.busy ?? 0), 0);
};

const stateDir = await mkdtemp(path.join(tmpdir(), "conduit-edge-hits-"));
const origin = await startOriginTier(values["edge-cpus"]);
const targets: HitTarget[] = [];

const wrk = (target: HitTarget, paths: readonly string[], duration: number) =>
  runWrk({
    baseUrl: target.url,
    paths,
    seconds: duration,
    connections: Number(values.connections),
    cpus: values["load-cpus"],
  });

/** Fresh entries, a warm-up (JIT, and every isolate's memory), fresh entries again, the run. */
const prepare = async (target: HitTarget, paths: readonly string[]) => {
  await target.refresh?.();
  await wrk(target, paths, warmupSeconds);
  await target.refresh?.();
};

const measure = async (target: HitTarget, paths: readonly string[]): Promise<Measurement> => {
  await prepare(target, paths);
  const originBefore = await origin.answeredRequests();
  const targetBefore = await treeCpuTicks(target.pid);
  const coresBefore = await busyTicksOfEdgeCores();
  const started = performance.now();
  const result = await wrk(target, paths, seconds);
  const elapsedTicks = ((performance.now() - started) / 1_000) * hz;
  const targetTicks = (await treeCpuTicks(target.pid)) - targetBefore;
  const coresTicks = (await busyTicksOfEdgeCores()) - coresBefore;
  // The origin counts a scrape once it has answered it: the first one adds one request.
  const originRequests = (await origin.answeredRequests()) - originBefore - 1;
  return {
    ...result,
    cpuMsPerRequest: ((targetTicks / hz) * 1_000) / result.requests,
    originRequests,
    otherLoadCores: (coresTicks - targetTicks) / elapsedTicks,
  };
};

const profileOneIsolate = async (hotReads: readonly string[], directory: string) => {
  const inspect = `127.0.0.1:${await freePort()}`;
  const profiled = await startEdgeTarget({
    isolates: 1,
    originUrl: origin.url,
    jwtSecret: origin.jwtSecret,
    paths: hotReads,
    cpus: values["edge-cpus"],
    inspect,
  });
  targets.push(profiled);
  await prepare(profiled, hotReads);
  const { profile, result } = await profileDuring(`http://${inspect}`, () => wrk(profiled, hotReads, seconds));
  const file = path.join(directory, `edge-hits-${new Date().toISOString().replaceAll(":", "-")}.cpuprofile`);
  await mkdir(directory, { recursive: true });
  await writeFile(file, JSON.stringify(profile));
  const summary = summariseProfile(profile);
  console.log(`\nprofile: ${file}, ${summary.samples} samples (${format(result.requestsPerSecond)} req/s profiled)`);
  console.log("self time, by function:");
  for (const line of summary.self) console.log(`  ${format(line.share * 100, 1)}%  ${line.name}`);
  console.log("inclusive, by file:");
  for (const line of summary.inclusiveByFile) console.log(`  ${format(line.share * 100, 1)}%  ${line.name}`);
};

try {
  const hotReads = await seedHotReads(origin.url);
  const readSets = [
    { name: mixName, paths: hotReads },
    { name: listPath, paths: [listPath] },
  ];
  for (const isolates of values.isolates.split(",").map(Number)) {
    targets.push(
      await startEdgeTarget({
        isolates,
        originUrl: origin.url,
        jwtSecret: origin.jwtSecret,
        paths: hotReads,
        cpus: values["edge-cpus"],
      }),
    );
  }
  const [firstEdge] = targets;
  if (!firstEdge) throw new Error("no edge to measure: --isolates is empty");
  const bareMap = await startBareMapTarget(firstEdge.url, hotReads, values["edge-cpus"], stateDir);
  targets.push(bareMap);

  const cells: MeasuredCell[] = targets.flatMap((target) =>
    readSets.map((reads) => ({ server: target.name, reads: reads.name, isBaseline: target === bareMap, runs: [] })),
  );
  const loadBefore = loadavg()[0] ?? 0;
  for (let round = 1; round <= Number(values.runs); round++) {
    for (const target of targets) {
      for (const reads of readSets) {
        const cell = cells.find((entry) => entry.server === target.name && entry.reads === reads.name);
        const run = await measure(target, reads.paths);
        cell?.runs.push(run);
        console.log(describeRun({ server: target.name, reads: reads.name }, round, run));
      }
    }
  }
  console.log(
    `\n${values.runs} rounds of ${seconds} s after ${warmupSeconds} s of warm-up; wrk -t1 -c${values.connections} ` +
      `on core(s) ${values["load-cpus"]}, servers on core(s) ${values["edge-cpus"]}; load average ` +
      `${format(loadBefore, 1)} before, ${format(loadavg()[0] ?? 0, 1)} after\n`,
  );
  console.log(medianTable(cells));

  if (values.profile !== undefined) await profileOneIsolate(hotReads, values.profile);

  const notAllHits = cells.filter((cell) => cell.runs.some((run) => run.originRequests > 0 || run.failures > 0));
  const oneIsolateMix = cells.find((cell) => cell.server === firstEdge.name && cell.reads === mixName);
  const broken = [
    ...notAllHits.map((cell) => `${cell.server} | ${cell.reads}: not every answer was a HIT`),
    ...(firstEdge.isolates === 1 && oneIsolateMix && medianRate(oneIsolateMix) < minimumOneIsolateHitsPerSecond
      ? [`one isolate: ${format(medianRate(oneIsolateMix))} req/s < ${format(minimumOneIsolateHitsPerSecond)}`]
      : []),
  ];
  if (broken.length > 0 && !values["no-assert"]) {
    console.error(`bounds broken:\n  ${broken.join("\n  ")}`);
    process.exitCode = 1;
  }
} finally {
  for (const target of targets.reverse()) await target.stop();
  await origin.stop();
  await rm(stateDir, { recursive: true, force: true });
}
