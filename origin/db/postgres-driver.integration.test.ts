import { rm } from "node:fs/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPostgres, startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";

/**
 * What patches/postgres+3.4.9.patch changes in the driver, against a real Postgres: a
 * session the server ends must leave nothing behind for the next one (porsager/postgres#1223).
 * Without the patch, the first test's second query fails with the first one's 57P01, and
 * the second test's cut escapes as an unhandled rejection (which ends a Node process).
 */
let root: string;
let server: RunningPostgres;

beforeAll(async () => {
  root = await scratchDirectory("conduit-driver-");
  server = await startEmbeddedPostgres({
    dataDir: path.join(root, "postgres"),
    port: await freePort(),
    persistent: false,
  });
});

afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

const poolOf = (url: string, applicationName: string) =>
  postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: applicationName }, backoff: () => 0.05 });

describe("a backend terminated in the middle of a query", () => {
  it("fails that query, and the next one runs on a new session without the old error", async () => {
    const pool = poolOf(server.url, "driver-victim");
    const admin = postgres(server.url, { max: 1, onnotice: () => {} });
    try {
      const sleeping = pool`select pg_sleep(30)`.then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      for (let attempt = 0; attempt < 50; attempt++) {
        const [row] = await admin`select count(*)::int as n from pg_stat_activity
          where application_name = 'driver-victim' and state = 'active'`;
        if (row?.n === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'driver-victim'`;
      expect(await sleeping).toMatch(/^(57P01|CONNECTION_CLOSED)$/);

      expect(await pool`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await Promise.all([pool.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
    }
  });
});

/** A relay that resets the first connection whose client asks for the array types. */
const startTypesQueryCutter = (target: number): Promise<{ port: number; cuts: () => number; server: Server }> =>
  new Promise((resolve, reject) => {
    let cuts = 0;
    const relay = createServer((client: Socket) => {
      const upstream = createConnection({ host: "127.0.0.1", port: target });
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("data", (chunk: Buffer) => {
        if (cuts === 0 && chunk.includes("pg_catalog.pg_type")) {
          cuts++;
          upstream.destroy();
          client.resetAndDestroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.pipe(client);
    });
    relay.once("error", reject);
    relay.listen(0, "127.0.0.1", () => {
      const address = relay.address();
      if (typeof address !== "object" || !address) return reject(new Error("no port"));
      resolve({ port: address.port, cuts: () => cuts, server: relay });
    });
  });

describe("a connection cut while the driver fetches array types", () => {
  it("rejects the query that opened it, lets nothing escape, and connects again", async () => {
    const target = Number(new URL(server.url).port);
    const cutter = await startTypesQueryCutter(target);
    const escaped: unknown[] = [];
    const onUnhandled = (reason: unknown) => escaped.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const url = new URL(server.url);
    url.port = String(cutter.port);
    const pool = poolOf(url.toString(), "driver-types");
    try {
      await expect(pool`select 1 as one`).rejects.toMatchObject({ code: "ECONNRESET" });
      expect(cutter.cuts()).toBe(1);
      expect(await pool`select 2 as two`).toEqual([{ two: 2 }]);
      // An unhandled rejection is reported after the microtasks of the turn that made it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(escaped).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await pool.end({ timeout: 1 });
      await new Promise((resolve) => cutter.server.close(resolve));
    }
  });
});
