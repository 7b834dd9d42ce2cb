import { type EdgeRuntime, type RunningEdge, startEdge } from "../../../stack/edge.ts";
import { freePort } from "../../../stack/free-port.ts";
import { type OriginInstance, startOriginInstance } from "../../../stack/origin-instance.ts";
import { testJwtSecret } from "../../support/test-secrets.ts";
import { startTopology, type Topology } from "../../support/topology.ts";

/**
 * One test file's edge tier over a real origin: Postgres and Redis (test/support/topology.ts),
 * one origin instance started here so the file can stop, stall and restart it on its port,
 * and one edge per runtime. The origin logs a JSON line per request: the file counts them
 * to see what reached it.
 */
export const edgeRuntimes: EdgeRuntime[] = ["wrangler", "deno"];
export const testPurgeSecret = "edge-test-purge-secret-0123456789";

export interface EdgeStackOptions {
  runtimes: readonly EdgeRuntime[];
  /** Whether the origin fans purges out to these edges (EDGE_PURGE_URLS). */
  originKnowsEdges: boolean;
  /** Deno isolates (`deno serve --parallel`). */
  denoIsolates?: number;
  originEnv?: Record<string, string>;
}

export interface EdgeStack {
  topology: Topology;
  originUrl: string;
  edges: Record<EdgeRuntime, RunningEdge>;
  /** Every origin log line, in order. */
  originLog: string[];
  /** Every edge output line, prefixed with its runtime, for failure reports. */
  edgeLog: string[];
  /** Requests the origin answered for this method and exact path (query excluded). */
  originRequests: (method: string, path: string) => number;
  stopOrigin: () => Promise<void>;
  startOrigin: () => Promise<void>;
  /** SIGSTOP / SIGCONT to the origin's process group: connections wait, nothing is refused. */
  stallOrigin: () => void;
  resumeOrigin: () => void;
  stop: () => Promise<void>;
}

const requestLine = (line: string): { method?: string; path?: string; msg?: string } | undefined => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

export const startEdgeStack = async (options: EdgeStackOptions): Promise<EdgeStack> => {
  const topology = await startTopology({ instances: 0, workers: 1 });
  const originLog: string[] = [];
  const edgeLog: string[] = [];
  const originPort = await freePort();
  const edgePorts = Object.fromEntries(
    await Promise.all(options.runtimes.map(async (runtime) => [runtime, await freePort()] as const)),
  ) as Record<EdgeRuntime, number>;
  const edgeUrls = Object.values(edgePorts).map((port) => `http://127.0.0.1:${port}`);

  let origin: OriginInstance | undefined;
  const startOrigin = async () => {
    origin = await startOriginInstance({
      name: "origin",
      port: originPort,
      databaseUrl: topology.databaseUrl,
      workers: 2,
      env: {
        JWT_SECRET: testJwtSecret,
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        REDIS_URL: topology.redis.url,
        RATE_LIMIT: "off",
        // The edges keep idle connections open; waiting for them only slows each restart.
        DRAIN_IDLE_GRACE_MS: "0",
        ...(options.originKnowsEdges
          ? { EDGE_PURGE_URLS: edgeUrls.join(","), EDGE_PURGE_SECRET: testPurgeSecret }
          : {}),
        ...options.originEnv,
      },
      output: (line) => originLog.push(line),
    });
  };
  const signalOrigin = (signal: NodeJS.Signals) => {
    const pid = origin?.process.child.pid;
    if (pid !== undefined) process.kill(-pid, signal);
  };

  const edges: Partial<Record<EdgeRuntime, RunningEdge>> = {};
  const stop = async () => {
    await Promise.all(Object.values(edges).map((edge) => edge.stop()));
    signalOrigin("SIGCONT");
    await origin?.process.stop();
    await topology.stop();
  };
  try {
    await startOrigin();
    for (const runtime of options.runtimes) {
      edges[runtime] = await startEdge({
        runtime,
        port: edgePorts[runtime],
        originUrl: `http://127.0.0.1:${originPort}`,
        jwtSecret: testJwtSecret,
        purgeSecret: testPurgeSecret,
        isolates: runtime === "deno" ? (options.denoIsolates ?? 1) : 1,
        settings: { TEST_CLOCK: "on" },
        name: `edge-${runtime}`,
        output: (line) => edgeLog.push(`[${runtime}] ${line}`),
      });
    }
  } catch (error) {
    console.error([...originLog.slice(-30), ...edgeLog.slice(-30)].join("\n"));
    await stop();
    throw error;
  }

  return {
    topology,
    originUrl: `http://127.0.0.1:${originPort}`,
    edges: edges as Record<EdgeRuntime, RunningEdge>,
    originLog,
    edgeLog,
    originRequests: (method, path) =>
      originLog.filter((line) => {
        const entry = requestLine(line);
        return entry?.msg === "request" && entry.method === method && entry.path === path;
      }).length,
    stopOrigin: async () => {
      signalOrigin("SIGCONT");
      await origin?.process.stop();
    },
    startOrigin,
    stallOrigin: () => signalOrigin("SIGSTOP"),
    resumeOrigin: () => signalOrigin("SIGCONT"),
    stop,
  };
};

/** Log lines trail responses by a few milliseconds: count after they have settled. */
export const settled = async <T>(read: () => T, ms = 400): Promise<T> => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return read();
};
