import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { hashPasswordWithFixedSalt } from "../auth/password.ts";
import { articleTotalCounter } from "../routes/articles/article-counters.ts";
import { type CopyValue, copyLine } from "./copy-text.ts";
import type { SeedPlan } from "./seed-plan.ts";
import {
  articleColumns,
  articleRows,
  commentColumns,
  commentRows,
  favoriteColumns,
  favoritePairs,
  favoriteRows,
  followColumns,
  followRows,
  userColumns,
  userRows,
} from "./seed-rows.ts";

/** Every seeded user signs in with this password (their emails are user<id>@seed.conduit.test). */
export const seedUserPassword = "conduit-seed-password";

const linesPerChunk = 2_000;

/** Rows as COPY text in chunks, so the stream's backpressure bounds what sits in memory. */
async function* copyChunks(rows: Iterable<CopyValue[]>): AsyncGenerator<string> {
  let chunk = "";
  let lines = 0;
  for (const row of rows) {
    chunk += copyLine(row);
    if (++lines === linesPerChunk) {
      yield chunk;
      chunk = "";
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}

const copyInto = async (
  sql: postgres.TransactionSql,
  table: string,
  columns: string[],
  rows: Iterable<CopyValue[]>,
) => {
  const writable = await sql`copy ${sql(table)} (${sql(columns)}) from stdin`.writable();
  await pipeline(Readable.from(copyChunks(rows)), writable);
};

/**
 * Fills an empty database with the plan's rows in one transaction (all or nothing), with
 * COPY, the fastest way into Postgres. Counters the API keeps (favorites per article, tags
 * per name) and the id sequences are brought in step at the end.
 */
export const seedDatabase = async (
  sql: postgres.Sql,
  plan: SeedPlan,
  log: (line: string) => void = () => {},
): Promise<void> => {
  const timed = async (label: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    log(`${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  const passwordHash = await hashPasswordWithFixedSalt(seedUserPassword, saltFor(plan.seed));
  await sql.begin(async (tx) => {
    await timed(`${plan.users} users`, () => copyInto(tx, "users", userColumns, userRows(plan, passwordHash)));
    const favorites = favoritePairs(plan);
    await timed(`${plan.articles} articles`, () =>
      copyInto(tx, "articles", articleColumns, articleRows(plan, favorites.countByArticle)),
    );
    await timed(`${plan.favorites} favorites`, () =>
      copyInto(tx, "favorites", favoriteColumns, favoriteRows(plan, favorites)),
    );
    await timed(`${plan.comments} comments`, () => copyInto(tx, "comments", commentColumns, commentRows(plan)));
    await timed(`${plan.follows} follows`, () => copyInto(tx, "follows", followColumns, followRows(plan)));
    await timed("tag counts and id sequences", async () => {
      await tx`
        insert into tags (name, article_count)
        select tag, count(*) from articles, unnest(tag_list) as tag group by tag`;
      await tx`
        insert into counters (name, value) values (${articleTotalCounter}, ${plan.articles})
        on conflict (name) do update set value = excluded.value`;
      for (const table of ["users", "articles", "comments"]) {
        await tx`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${tx(table)}), 0) + 1, false)`;
      }
    });
  });
  // Fresh statistics, or the planner guesses at the list and feed queries' selectivity.
  await timed("analyze", () => sql`analyze`);
};

const saltFor = (seed: number) => new TextEncoder().encode(`conduit-seed-${seed}`.padEnd(16, "."));

export const isDatabaseEmpty = async (sql: postgres.Sql): Promise<boolean> => {
  const [row] = await sql<{ empty: boolean }[]>`
    select not exists (select 1 from users) and not exists (select 1 from articles) as empty`;
  return row?.empty ?? true;
};

export const emptyDatabase = async (sql: postgres.Sql): Promise<void> => {
  await sql`truncate users, articles, comments, favorites, follows, tags restart identity cascade`;
  await sql`update counters set value = 0`;
};
