import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, chmod, cp, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { type ManagedProcess, type ProcessOptions, startProcess } from "./managed-process.ts";
import {
  accessLogPath,
  type NginxSiteOptions,
  renderNginxConfig,
  sharedConfigDir,
  sharedConfigSubdir,
} from "./nginx-config.ts";
import { noneListening, workerPids } from "./nginx-workers.ts";

export type { NginxSiteOptions, NginxTls, NginxUpstream } from "./nginx-config.ts";

/**
 * The real Debian nginx in front of the origin instances, as a managed process of the
 * stack: a config rendered into a private prefix directory (config, pid, logs and temp
 * files all inside it), the master kept in the foreground, its error log on stderr.
 */
export interface NginxOptions extends NginxSiteOptions {
  /** Prefix of its output lines (default `nginx`). */
  name?: string;
  /** Where its error log goes (see ProcessOptions); access logs go to `accessLogPath`. */
  output?: ProcessOptions["output"];
}

/** What a reload may change; the listeners and the prefix stay. */
export type NginxReload = Partial<
  Pick<NginxSiteOptions, "upstreams" | "rateLimit" | "staticDir" | "upstreamReadTimeoutSeconds">
>;

export interface RunningNginx {
  port: number;
  tlsPort?: number;
  /** `http://<host>:<port>`, the plain listener. */
  url: string;
  /** `https://localhost:<tlsPort>` when TLS is on; the local certificate names localhost. */
  tlsUrl?: string;
  /** One JSON object per line (log_format conduit_json in ops/nginx/conduit/http.conf). */
  accessLogPath: string;
  /** For `exited` (to notice an unexpected exit); stop it with `stop`, not `process.stop`. */
  process: ManagedProcess;
  /**
   * Renders the changed config, has nginx test it (a bad config throws and leaves the
   * running one untouched), sends SIGHUP, and resolves once workers of the new config run
   * and the old ones accept no more connections; they finish their requests and exit.
   */
  reload: (changes?: NginxReload) => Promise<void>;
  /** Graceful (SIGQUIT: in-flight requests finish), then SIGKILL to the whole group after graceMs. */
  stop: (graceMs?: number) => Promise<void>;
}

export const nginxDebianPackage = "nginx";

const run = promisify(execFile);

/** Debian installs nginx in /usr/sbin, which is not on every user's PATH. */
const findNginxBinary = async (): Promise<string> => {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), "/usr/sbin", "/usr/local/sbin"];
  for (const dir of dirs) {
    const candidate = path.join(dir, "nginx");
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `nginx is not installed (not on PATH, nor in /usr/sbin): install the Debian package, apt-get install ${nginxDebianPackage}`,
  );
};

const configPath = (prefixDir: string) => path.join(prefixDir, "nginx.conf");
const prefixArgs = (prefixDir: string, config: string) => [
  "-p",
  `${prefixDir}${path.sep}`,
  "-c",
  config,
  "-e",
  "stderr",
];

const preparePrefix = async (prefixDir: string) => {
  await mkdir(path.join(prefixDir, "logs"), { recursive: true });
  await mkdir(path.join(prefixDir, "temp"), { recursive: true });
  // Run as root, NGINX's workers are `nobody`: they must be able to enter the prefix.
  await chmod(prefixDir, 0o755);
  const shared = path.join(prefixDir, sharedConfigSubdir);
  await rm(shared, { recursive: true, force: true });
  await cp(sharedConfigDir, shared, { recursive: true });
};

/** Writes the config only if nginx accepts it, so a running nginx never loads a broken one. */
const writeTestedConfig = async (binary: string, options: NginxSiteOptions) => {
  const candidate = `${configPath(options.prefixDir)}.next`;
  await writeFile(candidate, renderNginxConfig(options));
  try {
    await run(binary, ["-t", "-q", ...prefixArgs(options.prefixDir, candidate)]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`nginx rejected its config (${candidate}):\n${stderr.trim()}`);
  }
  await rename(candidate, configPath(options.prefixDir));
};

const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds; throws with nginx's recent output if it exits or the deadline passes. */
const waitFor = async (done: () => Promise<boolean>, running: RunningProcess, failure: string) => {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (running.exited() || Date.now() > deadline) throw new Error(`${failure}:\n${running.recentOutput.join("\n")}`);
    await sleep(25);
  }
};

interface RunningProcess {
  managed: ManagedProcess;
  exited: () => boolean;
  recentOutput: string[];
}

const spawnNginx = (binary: string, prefixDir: string, name: string, output: ProcessOptions["output"]) => {
  const recentOutput: string[] = [];
  const managed = startProcess({
    name,
    command: binary,
    args: [...prefixArgs(prefixDir, configPath(prefixDir)), "-g", "daemon off;"],
    output: (line) => {
      recentOutput.push(line);
      if (recentOutput.length > 20) recentOutput.shift();
      if (typeof output === "function") output(line);
      else if (output === "inherit-prefixed") process.stdout.write(`[${name}] ${line}\n`);
    },
    stopSignal: "SIGQUIT",
  });
  let exited = false;
  void managed.exited.then(() => {
    exited = true;
  });
  return { managed, exited: () => exited, recentOutput };
};

const stopGracefully = async ({ managed, exited }: RunningProcess, graceMs: number) => {
  if (exited()) return;
  managed.child.kill("SIGQUIT");
  let timer: NodeJS.Timeout | undefined;
  const graceful = await Promise.race([
    managed.exited.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  // The master is still up, so its process group is still ours: the workers go with it.
  if (!graceful && managed.child.pid !== undefined) process.kill(-managed.child.pid, "SIGKILL");
  await managed.exited;
};

/** SIGHUP, then wait until new workers run and the old ones no longer accept connections. */
const reloadWorkers = async (running: RunningProcess, ports: number[]) => {
  const masterPid = running.managed.child.pid;
  if (running.exited() || masterPid === undefined) throw new Error("nginx is not running");
  const before = await workerPids(masterPid);
  running.managed.child.kill("SIGHUP");
  const switched = async () =>
    [...(await workerPids(masterPid))].some((pid) => !before.has(pid)) && (await noneListening(before, ports));
  await waitFor(switched, running, "nginx did not switch its workers to the new config");
};

/** Renders the config into its prefix and has nginx test it, without starting anything. */
export const checkNginxConfig = async (options: NginxSiteOptions): Promise<void> => {
  const binary = await findNginxBinary();
  await preparePrefix(options.prefixDir);
  await writeTestedConfig(binary, options);
};

export const startNginx = async (options: NginxOptions): Promise<RunningNginx> => {
  const { name = "nginx", output = "inherit-prefixed", ...initialSite } = options;
  let site: NginxSiteOptions = initialSite;
  const binary = await findNginxBinary();
  await checkNginxConfig(site);
  const running = spawnNginx(binary, site.prefixDir, name, output);
  const stop = (graceMs = 15_000) => stopGracefully(running, graceMs);

  const host = site.host ?? "127.0.0.1";
  const ports = [site.port, ...(site.tlsPort === undefined ? [] : [site.tlsPort])];
  try {
    for (const port of ports) {
      await waitFor(() => accepts(host, port), running, `nginx did not start listening on ${host}:${port}`);
    }
  } catch (error) {
    await stop(1_000);
    throw error;
  }

  const reload = async (changes: NginxReload = {}) => {
    const next = { ...site, ...changes };
    // Fresh copies of the shared files too: editing ops/nginx/conduit/ and reloading applies the edit.
    await checkNginxConfig(next);
    site = next;
    await reloadWorkers(running, ports);
  };

  return {
    port: site.port,
    url: `http://${host}:${site.port}`,
    ...(site.tlsPort === undefined ? {} : { tlsPort: site.tlsPort, tlsUrl: `https://localhost:${site.tlsPort}` }),
    accessLogPath: accessLogPath(site.prefixDir),
    process: running.managed,
    reload,
    stop,
  };
};
