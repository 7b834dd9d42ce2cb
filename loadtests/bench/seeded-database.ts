import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createDatabase } from "../../origin/db/client.ts";
import { migrateDatabase } from "../../origin/db/migrate.ts";
import { seedDatabase } from "../../origin/seed/seed-database.ts";
import type { SeedPlan } from "../../origin/seed/seed-plan.ts";
import { startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";

/**
 * The bench's data: seeded once into a template data directory under .data/bench/, keyed
 * by the seed plan and by the code that decides the rows (migrations, seed generator), and
 * copied fresh for every run. Reruns skip seeding, and every run starts from the same rows
 * even though the mixed scenario writes.
 */
const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const sourceDigest = async (): Promise<string> => {
  const hash = createHash("sha256");
  for (const dir of ["origin/db/migrations", "origin/seed"]) {
    const files = (await readdir(path.join(repoRoot, dir))).filter(
      (file) => (file.endsWith(".sql") || file.endsWith(".ts")) && !file.endsWith(".test.ts"),
    );
    for (const file of files.sort()) hash.update(file).update(await readFile(path.join(repoRoot, dir, file)));
  }
  return hash.digest("hex").slice(0, 10);
};

export const seedTemplateName = (plan: SeedPlan, digest: string): string =>
  `seed-${plan.users}u-${plan.articles}a-${plan.comments}c-${plan.favorites}f-${plan.follows}fo-s${plan.seed}-${digest}`;

export interface SeededDatabase {
  /** The fresh copy this run uses. */
  dataDir: string;
  reused: boolean;
  seedSeconds: number;
  /** Replaces the copy with a fresh one (Postgres must be stopped). */
  restore: () => Promise<void>;
}

const createTemplate = async (templateDir: string, plan: SeedPlan, log: (line: string) => void) => {
  await rm(templateDir, { recursive: true, force: true });
  const postgresServer = await startEmbeddedPostgres({
    dataDir: templateDir,
    port: await freePort(),
    persistent: true,
    settings: { shared_preload_libraries: "pg_stat_statements" },
  });
  try {
    await migrateDatabase(postgresServer.url);
    const database = createDatabase({
      url: postgresServer.url,
      poolMax: 1,
      statementTimeoutMs: 3_600_000,
      connectTimeoutSeconds: 10,
      applicationName: "conduit-bench-seed",
    });
    try {
      await database.sql`create extension if not exists pg_stat_statements`;
      await seedDatabase(database.sql, plan, (line) => log(`seed: ${line}`));
    } finally {
      await database.close();
    }
  } finally {
    await postgresServer.stop();
  }
};

export const prepareSeededDatabase = async (options: {
  benchDir: string;
  plan: SeedPlan;
  log: (line: string) => void;
}): Promise<SeededDatabase> => {
  const { benchDir, plan, log } = options;
  await mkdir(benchDir, { recursive: true });
  const templateDir = path.join(benchDir, seedTemplateName(plan, await sourceDigest()));
  const marker = `${templateDir}.json`;
  const reused = existsSync(marker) && existsSync(path.join(templateDir, "PG_VERSION"));
  let seedSeconds = 0;
  if (reused) log(`reusing the seeded database ${path.relative(repoRoot, templateDir)}`);
  else {
    log(`seeding ${plan.users} users, ${plan.articles} articles into ${path.relative(repoRoot, templateDir)} (once)`);
    const started = performance.now();
    await createTemplate(templateDir, plan, log);
    seedSeconds = (performance.now() - started) / 1000;
    await writeFile(marker, `${JSON.stringify({ plan, seededAt: new Date().toISOString(), seedSeconds }, null, 2)}\n`);
  }
  const dataDir = path.join(benchDir, "postgres-run");
  const restore = async () => {
    await rm(dataDir, { recursive: true, force: true });
    // -a keeps the owner (the postgres user when we are root) and the 0700 mode Postgres insists on.
    await run("cp", ["-a", templateDir, dataDir]);
  };
  await restore();
  return { dataDir, reused, seedSeconds, restore };
};
