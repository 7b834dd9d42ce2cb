import { rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { trendValues } from "../../loadtests/summary/percentile.ts";
import { startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";
import { startOriginInstance } from "../../stack/origin-instance.ts";
import { clockTicksPerSecond, treeCpuTicks } from "../../stack/process-tree.ts";
import { startRedisServer } from "../../stack/redis-server.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";
import { startLatencyProbe } from "./latency-probe.ts";

/**
 * `npm run bench:login-storm`: logins at full speed against one origin instance, while a
 * probe reads GET /api/tags once every 50 ms. Reports logins per second and per CPU second
 * of the origin, the event-loop delay, and the probe's latency before and during the storm;
 * exits 1 when the bounds below are broken. The origin runs on core 0 with Postgres and
 * Redis; this process (the clients) should run on core 1: `taskset -c 1 npm run ...`.
 */
const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "2" },
    clients: { type: "string", default: "32" },
    seconds: { type: "string", default: "10" },
    env: { type: "string", multiple: true, default: [] },
    "no-assert": { type: "boolean", default: false },
  },
});

/** What "the storm cannot hurt other routes" means, in numbers. */
const bounds = { tagsP99Ms: 100, eventLoopP99Ms: 50 };

const workers = Number(values.workers);
const clients = Number(values.clients);
const stormMs = Number(values.seconds) * 1_000;
const extraEnv = Object.fromEntries((values.env ?? []).map((pair) => pair.split("=", 2) as [string, string]));
const password = "storm password 1234";

const root = await scratchDirectory("conduit-login-storm-");
const postgres = await startEmbeddedPostgres({
  dataDir: path.join(root, "pg"),
  port: await freePort(),
  persistent: false,
});
const redis = await startRedisServer({ port: await freePort(), dir: path.join(root, "redis") });
const origin = await startOriginInstance({
  name: "origin",
  port: await freePort(),
  databaseUrl: postgres.url,
  workers,
  env: { LOG_LEVEL: "warn", RATE_LIMIT: "off", REDIS_URL: redis.url, ...extraEnv },
  output: "ignore",
  cpus: "0",
});

const post = (route: string, body: unknown) =>
  fetch(`${origin.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const eventLoopP99Ms = async () => {
  const text = await fetch(`${origin.url}/metrics`).then((response) => response.text());
  const line = text.split("\n").find((entry) => entry.startsWith("nodejs_eventloop_lag_p99_seconds "));
  return Number(line?.split(" ")[1]) * 1_000;
};

try {
  const emails = Array.from({ length: 20 }, (_, i) => `storm${i}@example.test`);
  for (const [i, email] of emails.entries()) {
    await post("/api/users", { user: { username: `storm${i}`, email, password } });
  }
  const baselineProbe = startLatencyProbe(`${origin.url}/api/tags`, 50);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const baseline = await baselineProbe.stop();

  await eventLoopP99Ms(); // prom-client resets the event-loop histogram on every scrape
  const ticksPerSecond = await clockTicksPerSecond();
  const treeCpuSeconds = async () => (await treeCpuTicks(origin.process.child.pid ?? 0)) / ticksPerSecond;
  const cpuBefore = await treeCpuSeconds();
  const probe = startLatencyProbe(`${origin.url}/api/tags`, 50);
  const started = performance.now();
  let logins = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() - started < stormMs; n++) {
        const response = await post("/api/users/login", {
          user: { email: emails[(client + n) % emails.length], password },
        });
        await response.arrayBuffer();
        if (response.status === 200) logins++;
        else failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1_000;
  const cpu = (await treeCpuSeconds()) - cpuBefore;
  const loopP99 = await eventLoopP99Ms();
  const during = await probe.stop();

  const stats = (samples: number[]) => {
    const { med = 0, "p(99)": p99 = 0, max = 0 } = trendValues(samples, ["med", "p(99)", "max"]);
    return { med: Number(med.toFixed(1)), p99: Number(p99.toFixed(1)), max: Number(max.toFixed(1)) };
  };
  const report = {
    workers,
    clients,
    env: extraEnv,
    loginsPerSecond: Math.round(logins / elapsed),
    loginsPerCpuSecond: Math.round(logins / cpu),
    failedLogins: failures,
    originCpuCoresBusy: Number((cpu / elapsed).toFixed(2)),
    eventLoopP99Ms: Number(loopP99.toFixed(1)),
    tagsBaselineMs: stats(baseline),
    tagsDuringStormMs: stats(during),
  };
  console.log(JSON.stringify(report, null, 2));
  const broken = [
    ...(report.tagsDuringStormMs.p99 > bounds.tagsP99Ms
      ? [`GET /api/tags p99 ${report.tagsDuringStormMs.p99} ms > ${bounds.tagsP99Ms} ms`]
      : []),
    ...(report.eventLoopP99Ms > bounds.eventLoopP99Ms
      ? [`event-loop delay p99 ${report.eventLoopP99Ms} ms > ${bounds.eventLoopP99Ms} ms`]
      : []),
    ...(failures > 0 ? [`${failures} logins failed`] : []),
  ];
  if (broken.length > 0 && !values["no-assert"]) {
    console.error(`bounds broken:\n  ${broken.join("\n  ")}`);
    process.exitCode = 1;
  }
} finally {
  await origin.process.stop();
  await redis.stop();
  await postgres.stop();
  await rm(root, { recursive: true, force: true });
}
