import { parseArgs } from "node:util";
import { z } from "zod";
import { createDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { emptyDatabase, isDatabaseEmpty, seedDatabase, seedUserPassword } from "./seed-database.ts";
import { seedPlan } from "./seed-plan.ts";

/**
 * `npm run seed -- --users N --articles M [--comments C] [--favorites F] [--follows F]
 * [--seed S] [--reset]`: fills the database at DATABASE_URL. Same options, same data.
 */
const count = z.coerce.number().int().min(0).max(100_000_000);
const optionsSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  users: count.default(1_000),
  articles: count.default(10_000),
  comments: count.optional(),
  favorites: count.optional(),
  follows: count.optional(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  reset: z.boolean().default(false),
});

const { values } = parseArgs({
  options: {
    users: { type: "string" },
    articles: { type: "string" },
    comments: { type: "string" },
    favorites: { type: "string" },
    follows: { type: "string" },
    seed: { type: "string" },
    reset: { type: "boolean" },
  },
});
const parsed = optionsSchema.safeParse({ ...values, DATABASE_URL: process.env.DATABASE_URL });
if (!parsed.success) {
  console.error(
    `seed: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n  ")}`,
  );
  process.exit(2);
}
const options = parsed.data;
const log = (line: string) => console.log(`[seed] ${line}`);

await migrateDatabase(options.DATABASE_URL);
const database = createDatabase({
  url: options.DATABASE_URL,
  poolMax: 1,
  statementTimeoutMs: 3_600_000,
  connectTimeoutSeconds: 10,
  applicationName: "conduit-seed",
});
try {
  if (!(await isDatabaseEmpty(database.sql))) {
    if (!options.reset) {
      console.error("seed: the database already holds users or articles; pass --reset to replace them");
      process.exit(1);
    }
    log("emptying the database (--reset)");
    await emptyDatabase(database.sql);
  }
  const plan = seedPlan(options, options.seed);
  log(`plan: ${JSON.stringify(plan)}`);
  const started = performance.now();
  await seedDatabase(database.sql, plan, log);
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; every user's password is "${seedUserPassword}"`);
} finally {
  await database.close();
}
