import { chown, mkdir, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import path from "node:path";
import { type ManagedProcess, startProcess } from "./managed-process.ts";
import { serverUser } from "./postgres-replication.ts";

/**
 * A real PgBouncer (Debian's /usr/sbin/pgbouncer) on a loopback port in front of one or more
 * Postgres databases, for the tests and the benchmark. Clients log in with the credentials of
 * the database URL they are routed to; PgBouncer refuses to run as root, so as root it runs
 * as the `postgres` user.
 */
export interface PgBouncerDatabase {
  /** The database name clients ask PgBouncer for. */
  name: string;
  /** The server it pools connections to: `postgres://user:password@host:port/db`. */
  url: string;
  /**
   * Run on every new server connection. In transaction pooling the client cannot keep session
   * settings (statement_timeout...), so the pooler sets them for every client it serves.
   */
  connectQuery?: string;
}

export interface PgBouncerOptions {
  port: number;
  /** Holds the generated pgbouncer.ini and userlist.txt. */
  dir: string;
  databases: PgBouncerDatabase[];
  poolMode?: "session" | "transaction" | "statement";
  /** Server connections per database and user. */
  defaultPoolSize: number;
  maxClientConn?: number;
  onLog?: (line: string) => void;
}

export interface RunningPgBouncer {
  /** The URL a client uses for one of the pooled databases. */
  url: (database: string) => string;
  /** The admin console (`SHOW POOLS`, `SHOW SERVERS`); it speaks the simple query protocol only. */
  adminUrl: string;
  process: ManagedProcess;
  stop: () => Promise<void>;
}

export const pgbouncerBinary = "/usr/sbin/pgbouncer";

/** PgBouncer's connection-string values are single-quoted, with quotes doubled. */
const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`;

const databaseLine = ({ name, url, connectQuery }: PgBouncerDatabase) => {
  const server = new URL(url);
  const fields = {
    host: server.hostname,
    port: server.port || "5432",
    dbname: server.pathname.slice(1),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    ...(connectQuery ? { connect_query: connectQuery } : {}),
  };
  return `${name} = ${Object.entries(fields)
    .map(([key, value]) => `${key}=${quoted(value)}`)
    .join(" ")}`;
};

const credentials = (databases: PgBouncerDatabase[]) =>
  new Map(
    databases.map(({ url }) => {
      const server = new URL(url);
      return [decodeURIComponent(server.username), decodeURIComponent(server.password)];
    }),
  );

const listens = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

export const startPgBouncer = async (options: PgBouncerOptions): Promise<RunningPgBouncer> => {
  const runAs = await serverUser();
  await mkdir(options.dir, { recursive: true });
  const users = credentials(options.databases);
  const [admin] = users.keys();
  const userlist = path.join(options.dir, "userlist.txt");
  const ini = path.join(options.dir, "pgbouncer.ini");
  await writeFile(
    userlist,
    [...users].map(([name, password]) => `"${name}" "${password.replaceAll('"', '""')}"\n`).join(""),
    { mode: 0o600 },
  );
  await writeFile(
    ini,
    [
      "[databases]",
      ...options.databases.map(databaseLine),
      "",
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${options.port}`,
      // TCP only: no socket file left behind in a shared directory.
      "unix_socket_dir =",
      // With the plain passwords in auth_file, PgBouncer does SCRAM with the client and the server.
      "auth_type = scram-sha-256",
      `auth_file = ${userlist}`,
      `admin_users = ${admin ?? "postgres"}`,
      `pool_mode = ${options.poolMode ?? "transaction"}`,
      `default_pool_size = ${options.defaultPoolSize}`,
      `max_client_conn = ${options.maxClientConn ?? 1_000}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  if (runAs) {
    for (const file of [options.dir, userlist, ini]) await chown(file, runAs.uid, runAs.gid);
  }
  const bouncer = startProcess({
    name: "pgbouncer",
    command: pgbouncerBinary,
    args: [ini],
    output: options.onLog ?? "ignore",
    ...(runAs ? { user: runAs } : {}),
    // SIGINT is PgBouncer's safe shutdown: it waits for in-flight transactions to finish.
    stopSignal: "SIGINT",
  });
  const deadline = Date.now() + 10_000;
  let exited = false;
  void bouncer.exited.then(() => {
    exited = true;
  });
  while (!(await listens(options.port))) {
    if (exited) throw new Error(`pgbouncer exited before listening; is the pgbouncer package installed?`);
    if (Date.now() > deadline) {
      await bouncer.stop();
      throw new Error(`pgbouncer did not listen on port ${options.port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const urlFor = (database: string) => {
    const target = options.databases.find(({ name }) => name === database);
    if (!target) throw new Error(`pgbouncer pools no database named ${database}`);
    const server = new URL(target.url);
    return `postgres://${server.username}:${server.password}@127.0.0.1:${options.port}/${database}`;
  };
  const adminCredentials = new URL(options.databases[0]?.url ?? "postgres://postgres@x");
  return {
    url: urlFor,
    adminUrl: `postgres://${adminCredentials.username}:${adminCredentials.password}@127.0.0.1:${options.port}/pgbouncer`,
    process: bouncer,
    stop: () => bouncer.stop(),
  };
};
