import { parseArgs } from "node:util";
import { markdownTable } from "../../loadtests/bench/markdown-table.ts";
import { median } from "../../loadtests/summary/percentile.ts";
import { parseCpuList, pinProcessTree } from "../../stack/core-pinning.ts";
import { startEdge } from "../../stack/edge.ts";
import { freePort } from "../../stack/free-port.ts";
import { clockTicksPerSecond, treeCpuTicks } from "../../stack/process-tree.ts";
import { startOriginTier } from "../edge-hits/origin-tier.ts";
import { format } from "../edge-hits/report.ts";
import { seedHotReads } from "../edge-hits/seed-reads.ts";
import { runWrk } from "../edge-hits/wrk.ts";

/**
 * `npm run bench:edge-forward`: what the edge costs on a request it must forward. Signed-in
 * reads bypass every shared cache (docs/edge.md, "Per-user fields"), so the edge checks the
 * token and passes the request on. wrk, on its own core, sends the same signed-in reads
 * through a one-isolate `deno serve` edge to the origin, and straight to the origin; the
 * edge and the origin instance share core 0 (with Postgres and Redis, not counted here).
 * Reported: requests per second, and the CPU each process spent per request, from /proc.
 * Rounds interleave the two paths; the table gives medians.
 */
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "8" },
    "warmup-seconds": { type: "string", default: "2" },
    connections: { type: "string", default: "16" },
    "server-cpus": { type: "string", default: "0" },
    "load-cpus": { type: "string", default: "1" },
  },
});

const hz = await clockTicksPerSecond();
const reads = [
  { name: "GET /api/user", path: "/api/user" },
  { name: "GET /api/articles?limit=20, signed in", path: "/api/articles?limit=20" },
];

interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  edgeCpuMs: number;
  originCpuMs: number;
}

const origin = await startOriginTier(values["server-cpus"]);
const edge = await startEdge({
  runtime: "deno",
  port: await freePort(),
  originUrl: origin.url,
  jwtSecret: origin.jwtSecret,
  purgeSecret: crypto.randomUUID(),
  name: "edge",
  output: "ignore",
});
const edgePid = edge.process.child.pid ?? 0;
try {
  await pinProcessTree(edgePid, parseCpuList(values["server-cpus"]));
  await seedHotReads(origin.url);
  const signUp = await fetch(`${origin.url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      user: { username: "reader", email: "reader@example.test", password: "edge forward bench" },
    }),
  });
  const { user } = (await signUp.json()) as { user: { token: string } };
  const headers = { authorization: `Token ${user.token}` };

  const paths = [
    { name: "through the edge", url: edge.url },
    { name: "origin only", url: origin.url },
  ];
  const runs = new Map<string, Run[]>();
  const wrk = (url: string, path: string, seconds: number) =>
    runWrk({
      baseUrl: url,
      paths: [path],
      headers,
      seconds,
      connections: Number(values.connections),
      cpus: values["load-cpus"],
    });
  for (let round = 1; round <= Number(values.runs); round++) {
    for (const read of reads) {
      for (const via of paths) {
        await wrk(via.url, read.path, Number(values["warmup-seconds"]));
        const edgeBefore = await treeCpuTicks(edgePid);
        const originBefore = await treeCpuTicks(origin.pid);
        const result = await wrk(via.url, read.path, Number(values.seconds));
        if (result.failures > 0) throw new Error(`${read.name} ${via.name}: ${result.failures} failures`);
        const msPerRequest = (ticks: number) => ((ticks / hz) * 1_000) / result.requests;
        const run = {
          requestsPerSecond: result.requestsPerSecond,
          p50Ms: result.p50Ms,
          edgeCpuMs: msPerRequest((await treeCpuTicks(edgePid)) - edgeBefore),
          originCpuMs: msPerRequest((await treeCpuTicks(origin.pid)) - originBefore),
        };
        const key = `${read.name} | ${via.name}`;
        runs.set(key, [...(runs.get(key) ?? []), run]);
        console.log(
          `round ${round}  ${key}: ${format(run.requestsPerSecond)} req/s, p50 ${format(run.p50Ms, 2)} ms, ` +
            `edge ${format(run.edgeCpuMs, 3)} / origin ${format(run.originCpuMs, 3)} CPU ms/req`,
        );
      }
    }
  }

  console.log(
    `\n${values.runs} rounds of ${values.seconds} s, wrk -t1 -c${values.connections} on core(s) ${values["load-cpus"]}, ` +
      `edge and origin on core(s) ${values["server-cpus"]}; medians:\n`,
  );
  const rows = [...runs].map(([key, cell]) => {
    const of = (pick: (run: Run) => number) => median(cell.map(pick));
    return [
      ...key.split(" | "),
      format(of((run) => run.requestsPerSecond)),
      format(
        of((run) => run.p50Ms),
        2,
      ),
      format(
        of((run) => run.edgeCpuMs),
        3,
      ),
      format(
        of((run) => run.originCpuMs),
        3,
      ),
    ];
  });
  console.log(markdownTable(["read", "path", "req/s", "p50 ms", "edge CPU ms/req", "origin CPU ms/req"], rows));
} finally {
  await edge.stop();
  await origin.stop();
}
