import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyPasswordHash } from "../../origin/auth/password.ts";
import { migrateDatabase } from "../../origin/db/migrate.ts";
import { seedDatabase, seedUserPassword } from "../../origin/seed/seed-database.ts";
import { seedPlan } from "../../origin/seed/seed-plan.ts";
import { unique } from "../support/api-client.ts";

/**
 * The seed generator against real databases of the test Postgres: one plan seeded twice
 * gives identical tables, and the counters the API reads agree with the rows.
 */
const plan = seedPlan({ users: 60, articles: 400 });
const tables = {
  users: "id",
  articles: "id",
  comments: "id",
  favorites: "user_id, article_id",
  follows: "follower_id, followee_id",
  tags: "name",
  counters: "name",
} as const;

const admin = () => postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
const created: string[] = [];

const seededDatabase = async (seed: number) => {
  const name = unique("conduit_seed_").toLowerCase();
  const server = admin();
  await server.unsafe(`create database "${name}"`);
  await server.end();
  created.push(name);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  await seedDatabase(sql, { ...plan, seed });
  return sql;
};

const checksums = async (sql: postgres.Sql) => {
  const sums: Record<string, string> = {};
  for (const [table, order] of Object.entries(tables)) {
    const [row] = await sql.unsafe(`select md5(string_agg(t::text, '|' order by ${order})) as sum from ${table} t`);
    sums[table] = row?.sum;
  }
  return sums;
};

let first: postgres.Sql;
let second: postgres.Sql;
let otherSeed: postgres.Sql;

beforeAll(async () => {
  [first, second, otherSeed] = await Promise.all([seededDatabase(1), seededDatabase(1), seededDatabase(2)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([first, second, otherSeed].map((sql) => sql?.end({ timeout: 5 })));
  const server = admin();
  for (const name of created) await server.unsafe(`drop database if exists "${name}" with (force)`);
  await server.end();
});

describe("npm run seed", () => {
  it("makes the planned number of rows", async () => {
    const [counts] = await first`
      select (select count(*) from users)::int as users, (select count(*) from articles)::int as articles,
             (select count(*) from comments)::int as comments, (select count(*) from favorites)::int as favorites,
             (select count(*) from follows)::int as follows`;
    expect(counts).toEqual({
      users: plan.users,
      articles: plan.articles,
      comments: plan.comments,
      favorites: plan.favorites,
      follows: plan.follows,
    });
  });

  it("the same plan and seed make the same data, row for row", async () => {
    expect(await checksums(second)).toEqual(await checksums(first));
  });

  it("another seed makes other data", async () => {
    const [a, b] = await Promise.all([checksums(first), checksums(otherSeed)]);
    expect(a.articles).not.toBe(b.articles);
    expect(a.users).not.toBe(b.users);
  });

  it("keeps the counters the API reads exact: favorites per article, articles per tag and in all", async () => {
    const [mismatches] = await first`
      select
        (select count(*) from articles a
          where a.favorites_count <> (select count(*) from favorites f where f.article_id = a.id))::int as favorites,
        (select count(*) from tags t
          where t.article_count <> (select count(*) from articles a where a.tag_list @> array[t.name]))::int as tags,
        (select value from counters where name = 'articles') - (select count(*) from articles)::int as total`;
    expect(mismatches).toEqual({ favorites: 0, tags: 0, total: 0 });
  });

  it("leaves the id sequences past the seeded ids, so the API's inserts do not collide", async () => {
    for (const table of ["users", "articles", "comments"]) {
      const [row] = await first.unsafe(
        `select nextval(pg_get_serial_sequence('${table}', 'id')) > (select max(id) from ${table}) as ahead`,
      );
      expect(row?.ahead, table).toBe(true);
    }
  });

  it("makes no one follow themselves, and gives every user the documented password", async () => {
    const [row] = await first`select count(*)::int as selfFollows from follows where follower_id = followee_id`;
    expect(row?.selffollows).toBe(0);
    const [user] = await first<{ password_hash: string }[]>`select password_hash from users order by id limit 1`;
    expect(await verifyPasswordHash(user?.password_hash ?? "", seedUserPassword)).toBe(true);
  });

  it("makes slugs and usernames the API can route to: unique, no slash, no question mark", async () => {
    const [row] = await first`
      select (select count(distinct slug) from articles)::int as slugs,
             (select count(*) from users where username ~ '[/?#\\\\]')::int as unroutable`;
    expect(row).toEqual({ slugs: plan.articles, unroutable: 0 });
  });
});
