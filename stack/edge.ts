import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { edgeHealthPath } from "../shared/http/edge-endpoints.ts";
import { type ManagedProcess, type ProcessOptions, startProcess, waitForHttp } from "./managed-process.ts";
import { stopGroup } from "./process-group.ts";

/**
 * The edge tier (edge/) as a managed process, on loopback:
 *
 *   const edge = await startEdge({ runtime: "deno", port: 8787, originUrl, jwtSecret, purgeSecret });
 *   edge.url;          // http://127.0.0.1:8787, answering (GET /__edge/healthz is 200)
 *   await edge.stop(); // the whole process group is gone, its temporary state removed
 *
 * `runtime: "wrangler"` runs the Worker (wrangler.toml) under `wrangler dev`: workerd, the
 * runtime Cloudflare runs, offline; for behaviour, not speed (~0.7k req/s). `runtime: "deno"`
 * runs `deno serve` (with `--parallel` when `isolates` > 1) for throughput. Both get the
 * same settings (edge/edge-config.ts); the secrets travel in a private env file, never on
 * a command line. The origin must be told the edge's URL and purge secret too
 * (EDGE_PURGE_URLS, EDGE_PURGE_SECRET) for writes made elsewhere to reach it.
 */
export type EdgeRuntime = "wrangler" | "deno";

export interface EdgeOptions {
  runtime: EdgeRuntime;
  port: number;
  /** NGINX, or one origin instance. */
  originUrl: string;
  /** The origin's JWT_SECRET. */
  jwtSecret: string;
  /** The origin's EDGE_PURGE_SECRET. */
  purgeSecret: string;
  /** Deno only: isolates of `deno serve --parallel` (DENO_JOBS); 1 runs without `--parallel`. */
  isolates?: number;
  /** Deno only: `host:port` of V8's inspector, for CPU profiles (scripts/edge-hits). */
  inspect?: string;
  /** Further edge settings by name, e.g. `{ MEMORY_CACHE_ENTRIES: "0" }`. */
  settings?: Record<string, string>;
  /**
   * Where the runtime keeps its Cache API. Default: a new temporary directory, removed on
   * stop, so a run never starts with another run's entries (they would not be trusted anyway).
   */
  stateDir?: string;
  name?: string;
  output?: ProcessOptions["output"];
  readyTimeoutMs?: number;
}

export interface RunningEdge {
  url: string;
  runtime: EdgeRuntime;
  /** Its pid and exit; stop it with `stop()`, which ends the whole group, not `process.stop()`. */
  process: ManagedProcess;
  /** Ends the whole group (wrangler runs workerd as its children); says whether it had to be forced. */
  stop: () => Promise<"exited" | "killed">;
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const wranglerCli = path.join(root, "node_modules", "wrangler", "wrangler-dist", "cli.js");
const denoBinary = path.join(root, "node_modules", ".bin", "deno");

/** `KEY=value` lines, one setting each; values are quoted so `#` or spaces survive. */
const envFile = (settings: Record<string, string>) =>
  Object.entries(settings)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join("\n");

const wranglerArgs = (options: EdgeOptions, stateDir: string, settingsFile: string) => [
  wranglerCli,
  "dev",
  "--config",
  path.join(root, "wrangler.toml"),
  "--ip",
  "127.0.0.1",
  "--port",
  String(options.port),
  // The inspector's default port (9229) would collide between two edges.
  "--inspector-port",
  "0",
  "--persist-to",
  stateDir,
  "--env-file",
  settingsFile,
  "--show-interactive-dev-session=false",
  "--log-level",
  "warn",
];

const denoArgs = (options: EdgeOptions, settingsFile: string) => [
  "serve",
  `--env-file=${settingsFile}`,
  ...((options.isolates ?? 1) > 1 ? ["--parallel"] : []),
  ...(options.inspect === undefined ? [] : [`--inspect=${options.inspect}`]),
  "--host",
  "127.0.0.1",
  "--port",
  String(options.port),
  "--allow-net",
  "--allow-env",
  path.join(root, "edge", "deno.ts"),
];

const processFor = (options: EdgeOptions, stateDir: string, settingsFile: string) =>
  options.runtime === "wrangler"
    ? startProcess({
        name: options.name ?? "edge",
        command: process.execPath,
        args: wranglerArgs(options, stateDir, settingsFile),
        cwd: root,
        // Offline: no request.cf download (it would wait for a timeout), no telemetry.
        env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: stateDir },
        output: options.output ?? "inherit-prefixed",
      })
    : startProcess({
        name: options.name ?? "edge",
        command: denoBinary,
        args: denoArgs(options, settingsFile),
        cwd: root,
        // Deno keeps its Cache API under DENO_DIR; the module cache there is rebuilt in a second.
        env: { DENO_DIR: stateDir, DENO_JOBS: String(options.isolates ?? 1), NO_COLOR: "1" },
        output: options.output ?? "inherit-prefixed",
      });

export const startEdge = async (options: EdgeOptions): Promise<RunningEdge> => {
  const ownState = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(tmpdir(), `conduit-edge-${options.runtime}-`)));
  const settingsFile = path.join(stateDir, "edge.env");
  const settings = {
    ...options.settings,
    ORIGIN_URL: options.originUrl,
    JWT_SECRET: options.jwtSecret,
    PURGE_SECRET: options.purgeSecret,
    EDGE_ISOLATES: String(options.isolates ?? 1),
  };
  await writeFile(settingsFile, envFile(settings), { mode: 0o600 });
  const edge = processFor(options, stateDir, settingsFile);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    const ended = await stopGroup(edge);
    if (ownState) await rm(stateDir, { recursive: true, force: true });
    else await rm(settingsFile, { force: true });
    return ended;
  };
  try {
    await waitForHttp(`${url}${edgeHealthPath}`, edge, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, runtime: options.runtime, process: edge, stop };
};
