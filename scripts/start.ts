import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase } from "../origin/db/client.ts";
import { migrateDatabase } from "../origin/db/migrate.ts";
import { isDatabaseEmpty, seedDatabase } from "../origin/seed/seed-database.ts";
import { seedPlan } from "../origin/seed/seed-plan.ts";
import { type RunningPostgres, startEmbeddedPostgres } from "../stack/embedded-postgres.ts";
import { type OriginInstance, startOriginInstance } from "../stack/origin-instance.ts";
import { stackConfigSchema } from "../stack/stack-config.ts";

/**
 * `npm start`: the whole local system on loopback. Without DATABASE_URL it runs an
 * embedded Postgres with its data under .data/, migrates, seeds a small data set once,
 * and serves the origin. Ctrl-C or SIGTERM stops everything it started, in order.
 */
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const log = (message: string) => console.log(`\x1b[1m[start]\x1b[0m ${message}`);

const parsed = stackConfigSchema.safeParse(process.env);
if (!parsed.success) {
  console.error(
    `invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
  );
  process.exit(2);
}
const config = parsed.data;

let postgres: RunningPostgres | undefined;
let origin: OriginInstance | undefined;
let stopping = false;

const stopAll = async (exitCode: number) => {
  if (stopping) return;
  stopping = true;
  log("stopping");
  await origin?.process.stop();
  await postgres?.stop();
  log("stopped: nothing left running");
  process.exit(exitCode);
};
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

const seedIfEmpty = async (databaseUrl: string) => {
  const database = createDatabase({
    url: databaseUrl,
    poolMax: 4,
    statementTimeoutMs: 600_000,
    connectTimeoutSeconds: 10,
    applicationName: "conduit-start",
  });
  try {
    if (!(await isDatabaseEmpty(database.sql))) return log("database already holds data: not seeding");
    const plan = seedPlan({ users: config.SEED_USERS, articles: config.SEED_ARTICLES });
    log(`seeding ${plan.users} users, ${plan.articles} articles, ${plan.comments} comments`);
    await seedDatabase(database.sql, plan, (line) => log(`seed: ${line}`));
  } finally {
    await database.close();
  }
};

try {
  let databaseUrl = config.DATABASE_URL;
  if (databaseUrl === undefined) {
    log(`starting embedded Postgres on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in .data/postgres)`);
    postgres = await startEmbeddedPostgres({
      dataDir: path.join(root, ".data", "postgres"),
      port: config.EMBEDDED_PG_PORT,
      persistent: true,
      settings: { shared_preload_libraries: "pg_stat_statements", max_connections: "200" },
    });
    databaseUrl = postgres.url;
  }
  await migrateDatabase(databaseUrl);
  await seedIfEmpty(databaseUrl);
  // Until NGINX fronts the origin, the single origin instance serves the public port itself.
  origin = await startOriginInstance({
    name: "origin",
    port: config.NGINX_PORT,
    databaseUrl,
    workers: config.ORIGIN_WORKERS,
    env: { MIGRATE_ON_START: "off" },
  });
  log(`Conduit API: ${origin.url}/api  (reference: ${origin.url}/docs, health: ${origin.url}/readyz)`);
  log("Ctrl-C stops everything");
  const code = await origin.process.exited;
  if (!stopping) {
    log(`origin exited unexpectedly (code ${code})`);
    await stopAll(1);
  }
} catch (error) {
  console.error(error);
  await stopAll(1);
}
