import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/**
 * wrk, pinned to its own core, cycling over a fixed list of paths (each request formatted
 * once, in `init`, so the generator spends its time on sockets, not on Lua strings).
 */
const run = promisify(execFile);

export interface WrkOptions {
  baseUrl: string;
  paths: readonly string[];
  seconds: number;
  connections: number;
  /** A `taskset -c` CPU list for wrk. */
  cpus: string;
  /** Sent with every request, e.g. a signed-in user's `authorization`. */
  headers?: Readonly<Record<string, string>>;
}

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx/3xx answers plus socket errors: a valid hit-path run has none. */
  failures: number;
}

const luaTable = (headers: Readonly<Record<string, string>>) =>
  `{ ${Object.entries(headers)
    .map(([name, value]) => `[${JSON.stringify(name)}] = ${JSON.stringify(value)}`)
    .join(", ")} }`;

export const rotatingRequests = (paths: readonly string[], headers: Readonly<Record<string, string>> = {}) => `
local paths = { ${paths.map((entry) => JSON.stringify(entry)).join(", ")} }
local headers = ${luaTable(headers)}
local formatted = {}
local next_index = 0
init = function()
  for i, entry in ipairs(paths) do formatted[i] = wrk.format("GET", entry, headers) end
end
request = function()
  next_index = next_index % #formatted + 1
  return formatted[next_index]
end
`;

const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1_000 }[unit] ?? Number.NaN);

const percentile = (output: string, label: string) => {
  const match = output.match(new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m"));
  if (!match?.[1] || !match[2]) throw new Error(`wrk output has no ${label}% latency:\n${output}`);
  return toMs(match[1], match[2]);
};

export const parseWrkOutput = (output: string): WrkResult => {
  const requests = Number(output.match(/^\s+(\d+) requests in/m)?.[1]);
  const requestsPerSecond = Number(output.match(/^Requests\/sec:\s+([\d.]+)/m)?.[1]);
  if (!Number.isFinite(requests) || !Number.isFinite(requestsPerSecond))
    throw new Error(`unexpected wrk output:\n${output}`);
  const non2xx = Number(output.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = [...(output.match(/Socket errors: (.*)/)?.[1] ?? "").matchAll(/(\d+)/g)].reduce(
    (sum, [count]) => sum + Number(count),
    0,
  );
  return {
    requests,
    requestsPerSecond,
    p50Ms: percentile(output, "50"),
    p99Ms: percentile(output, "99"),
    failures: non2xx + socketErrors,
  };
};

export const runWrk = async (options: WrkOptions): Promise<WrkResult> => {
  const dir = await mkdtemp(path.join(tmpdir(), "conduit-wrk-"));
  try {
    const script = path.join(dir, "rotate.lua");
    await writeFile(script, rotatingRequests(options.paths, options.headers));
    const { stdout } = await run("taskset", [
      "-c",
      options.cpus,
      "wrk",
      "-t1",
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      "--latency",
      "-s",
      script,
      options.baseUrl,
    ]);
    return parseWrkOutput(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
