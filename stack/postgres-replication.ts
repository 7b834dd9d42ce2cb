import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { type ManagedProcess, startProcess } from "./managed-process.ts";

/**
 * A Postgres primary and a streaming replica made with PostgreSQL's own tools (`initdb`,
 * `pg_basebackup --write-recovery-conf`) on loopback ports, for the replica tests and the
 * replica benchmark. A streaming replica needs the primary's major version, so both run
 * from one installation (Debian's postgresql-15 by default), not from the embedded 18.
 */
export interface PostgresServer {
  name: string;
  port: number;
  /** Superuser URL of its `postgres` database. */
  url: string;
  dataDir: string;
  /** Starts it on its data directory (again, after `stop`) and waits until it accepts connections. */
  start: () => Promise<void>;
  /** Fast shutdown: open transactions are rolled back and clients disconnected. */
  stop: () => Promise<void>;
  /** The postmaster's pid while it runs; its backends share its process group. */
  pid: () => number | undefined;
}

export interface ReplicatedPostgres {
  primary: PostgresServer;
  replica: PostgresServer;
  /** Stops both servers and deletes their data. */
  stop: () => Promise<void>;
}

export interface ReplicatedPostgresOptions {
  /** Created if missing, deleted by `stop`. */
  dataRoot: string;
  primaryPort: number;
  replicaPort: number;
  /** Settings for both servers, e.g. `{ max_connections: "200" }` (a hot standby needs the primary's). */
  settings?: Record<string, string>;
  binDir?: string;
  onLog?: (line: string) => void;
}

export const postgres15BinDir = "/usr/lib/postgresql/15/bin";

const run = promisify(execFile);
const user = "postgres";
const password = "postgres";
/** Keeps the WAL the replica has not received while it is stopped, so it resumes instead of re-cloning. */
const replicationSlot = "replica_1";

/** The uid and gid to run as: ours, or the `postgres` user's when we are root (Postgres and PgBouncer refuse root). */
export const serverUser = async (): Promise<{ uid: number; gid: number } | undefined> => {
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

const waitUntilAccepting = async (url: string, server: ManagedProcess, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${server.name} exited before accepting connections`);
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

interface ServerSpec {
  name: string;
  port: number;
  dataDir: string;
  binDir: string;
  settings: string[];
  runAs: { uid: number; gid: number } | undefined;
  onLog: ((line: string) => void) | undefined;
}

const postgresServer = (spec: ServerSpec): PostgresServer => {
  const url = `postgres://${user}:${password}@127.0.0.1:${spec.port}/postgres`;
  let server: ManagedProcess | undefined;
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };
  const start = async () => {
    if (server) return;
    server = startProcess({
      name: spec.name,
      command: path.join(spec.binDir, "postgres"),
      // Sockets in the data directory: /var/run/postgresql may not exist or be writable.
      args: ["-D", spec.dataDir, "-p", String(spec.port), "-k", spec.dataDir, "-h", "127.0.0.1", ...spec.settings],
      env: { LC_ALL: "C.UTF-8" },
      output: spec.onLog ?? "ignore",
      ...(spec.runAs ? { user: spec.runAs } : {}),
      stopSignal: "SIGINT",
    });
    try {
      await waitUntilAccepting(url, server);
    } catch (error) {
      await stop();
      throw error;
    }
  };
  return { name: spec.name, port: spec.port, url, dataDir: spec.dataDir, start, stop, pid: () => server?.child.pid };
};

/** Until the replica's WAL receiver streams, a test's "replica caught up" would be vacuous. */
const waitUntilStreaming = async (replicaUrl: string, timeoutMs = 30_000) => {
  const sql = postgres(replicaUrl, { max: 1, onnotice: () => {} });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await sql<{ status: string }[]>`select status from pg_stat_wal_receiver`;
      if (row?.status === "streaming") return;
      if (Date.now() > deadline) throw new Error(`replica not streaming after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
};

export const startReplicatedPostgres = async (options: ReplicatedPostgresOptions): Promise<ReplicatedPostgres> => {
  const binDir = options.binDir ?? postgres15BinDir;
  if (!existsSync(path.join(binDir, "pg_basebackup"))) {
    throw new Error(
      `no pg_basebackup in ${binDir}: install the Debian package postgresql-15 (apt-get install postgresql-15)`,
    );
  }
  const runAs = await serverUser();
  const asServerUser = { ...runAs, env: { ...process.env, LC_ALL: "C.UTF-8", PGPASSWORD: password } };
  await mkdir(options.dataRoot, { recursive: true });
  if (runAs) await chown(options.dataRoot, runAs.uid, runAs.gid);

  const primaryDir = path.join(options.dataRoot, "primary");
  const replicaDir = path.join(options.dataRoot, "replica");
  const passwordFile = path.join(options.dataRoot, "password");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o644 });
  await run(
    path.join(binDir, "initdb"),
    [`--pgdata=${primaryDir}`, "--auth=scram-sha-256", `--username=${user}`, `--pwfile=${passwordFile}`],
    asServerUser,
  );
  await rm(passwordFile, { force: true });

  const settings = Object.entries(options.settings ?? {}).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  const spec = { binDir, settings, runAs, onLog: options.onLog };
  const primary = postgresServer({ ...spec, name: "pg-primary", port: options.primaryPort, dataDir: primaryDir });
  const replica = postgresServer({ ...spec, name: "pg-replica", port: options.replicaPort, dataDir: replicaDir });
  const stop = async () => {
    await replica.stop();
    await primary.stop();
    await rm(options.dataRoot, { recursive: true, force: true });
  };
  try {
    await primary.start();
    // initdb's pg_hba.conf already lets `replication` connect over loopback with a password.
    await run(
      path.join(binDir, "pg_basebackup"),
      [
        "--host=127.0.0.1",
        `--port=${options.primaryPort}`,
        `--username=${user}`,
        `--pgdata=${replicaDir}`,
        "--wal-method=stream",
        "--checkpoint=fast",
        "--create-slot",
        `--slot=${replicationSlot}`,
        "--write-recovery-conf",
      ],
      asServerUser,
    );
    await replica.start();
    await waitUntilStreaming(replica.url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { primary, replica, stop };
};
