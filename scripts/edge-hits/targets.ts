import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCacheTags } from "../../shared/http/cache-policy.ts";
import { edgePurgePath, edgePurgeSecretHeader } from "../../shared/http/edge-endpoints.ts";
import { parseCpuList, pinProcessTree } from "../../stack/core-pinning.ts";
import { startEdge } from "../../stack/edge.ts";
import { freePort } from "../../stack/free-port.ts";
import { startProcess, waitForHttp } from "../../stack/managed-process.ts";

/**
 * The servers the benchmark loads: the edge on `deno serve` (one or more isolates), and
 * the bare `Map` server beside it. Each is pinned to the edge's cores after it started
 * (a process forked later inherits that, and Deno's isolates are threads of one process).
 */
export interface HitTarget {
  name: string;
  /** Deno isolates of an edge; undefined for the bare server. */
  isolates: number | undefined;
  url: string;
  pid: number;
  /**
   * Makes every hot read a fresh entry again (purge its tags, read it once), so a run shorter
   * than the shortest `sMaxAge` is all HITs; undefined for the bare server, which never ages.
   */
  refresh: (() => Promise<void>) | undefined;
  stop: () => Promise<unknown>;
}

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const deno = path.join(root, "node_modules", ".bin", "deno");

const get = async (url: string) => {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body}`);
  return { cache: response.headers.get("x-cache"), tags: parseCacheTags(response.headers.get("cache-tag")), body };
};

/**
 * With several isolates the next read may reach one that has not seen the entry yet, and
 * the Cache API copy it would find is put in the background: a few tries, then a HIT.
 */
const untilHit = async (url: string, attempts = 20) => {
  for (let attempt = 1; ; attempt++) {
    const { cache } = await get(url);
    if (cache === "HIT") return;
    if (attempt === attempts) throw new Error(`${url} is not a HIT after its refresh: ${cache}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

export interface EdgeTargetOptions {
  isolates: number;
  originUrl: string;
  jwtSecret: string;
  paths: readonly string[];
  cpus: string;
  /** `host:port` for V8's inspector, to profile this edge. */
  inspect?: string;
}

export const startEdgeTarget = async (options: EdgeTargetOptions): Promise<HitTarget> => {
  const purgeSecret = crypto.randomUUID();
  const edge = await startEdge({
    runtime: "deno",
    port: await freePort(),
    originUrl: options.originUrl,
    jwtSecret: options.jwtSecret,
    purgeSecret,
    isolates: options.isolates,
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
    name: `edge-${options.isolates}`,
    output: "ignore",
  });
  const pid = edge.process.child.pid ?? 0;
  await pinProcessTree(pid, parseCpuList(options.cpus));
  const tags = new Set<string>();
  for (const hotPath of options.paths) for (const tag of (await get(`${edge.url}${hotPath}`)).tags) tags.add(tag);
  const refresh = async () => {
    const purge = await fetch(`${edge.url}${edgePurgePath}`, {
      method: "POST",
      headers: { "content-type": "application/json", [edgePurgeSecretHeader]: purgeSecret },
      body: JSON.stringify({ tags: [...tags] }),
    });
    if (purge.status !== 200) throw new Error(`purge: ${purge.status} ${await purge.text()}`);
    for (const hotPath of options.paths) {
      await get(`${edge.url}${hotPath}`);
      await untilHit(`${edge.url}${hotPath}`);
    }
  };
  const name = `edge, ${options.isolates} isolate${options.isolates === 1 ? "" : "s"}`;
  return { name, isolates: options.isolates, url: edge.url, pid, refresh, stop: edge.stop };
};

/** The bare `Map` server, answering the same paths with the bodies the edge served. */
export const startBareMapTarget = async (
  edgeUrl: string,
  paths: readonly string[],
  cpus: string,
  stateDir: string,
): Promise<HitTarget> => {
  const bodies: Record<string, string> = {};
  for (const hotPath of paths) bodies[hotPath] = (await get(`${edgeUrl}${hotPath}`)).body;
  const bodiesFile = path.join(stateDir, "bare-map-bodies.json");
  await writeFile(bodiesFile, JSON.stringify(bodies));
  const port = await freePort();
  const server = startProcess({
    name: "bare-map",
    command: deno,
    args: [
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--allow-read",
      "--allow-env",
      path.join(root, "scripts", "edge-hits", "bare-map-hit.ts"),
    ],
    env: { BARE_MAP_BODIES: bodiesFile, DENO_DIR: stateDir, NO_COLOR: "1" },
    output: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${paths[0] ?? "/"}`, server);
  const pid = server.child.pid ?? 0;
  await pinProcessTree(pid, parseCpuList(cpus));
  return { name: "bare Map", isolates: undefined, url, pid, refresh: undefined, stop: () => server.stop() };
};
