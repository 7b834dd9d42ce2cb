import { afterAll, describe, expect, it } from "vitest";
import { edgeHealthPath } from "../../shared/http/edge-endpoints.ts";
import { startEdge } from "../../stack/edge.ts";
import { freePort } from "../../stack/free-port.ts";
import { apiAt } from "../support/api-client.ts";
import { testJwtSecret } from "../support/test-secrets.ts";
import { testPurgeSecret } from "./support/edge-stack.ts";

/**
 * stack/edge.ts as the start command uses it: the edge answers once started, even before
 * its origin does, and `stop()` leaves no process of its group and no listener behind
 * (wrangler runs workerd as children; Deno's isolates hold a BroadcastChannel).
 */
const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

const cases = [
  { runtime: "wrangler", isolates: 1 },
  { runtime: "deno", isolates: 2 },
] as const;

let stopAll: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(stopAll.map((stop) => stop()));
});

describe.each(cases)("startEdge with $runtime", ({ runtime, isolates }) => {
  it("answers before its origin is up, says so for reads, and stops without leaving anything", async () => {
    const port = await freePort();
    const edge = await startEdge({
      runtime,
      port,
      isolates,
      originUrl: `http://127.0.0.1:${await freePort()}`,
      jwtSecret: testJwtSecret,
      purgeSecret: testPurgeSecret,
      output: "ignore",
    });
    stopAll.push(edge.stop);
    const read = await apiAt(edge.url, "GET", "/api/tags");
    expect([read.status, read.body]).toEqual([503, { errors: { origin: ["unavailable, retry later"] } }]);
    const pid = edge.process.child.pid ?? 0;
    expect(groupAlive(pid)).toBe(true);
    // Right after start-up, when Deno's second isolate may still be loading (see stopGroup).
    const ended = await edge.stop();
    stopAll = stopAll.filter((stop) => stop !== edge.stop);
    expect(ended).toBe("exited");
    expect(groupAlive(pid)).toBe(false);
    await expect(fetch(`${edge.url}${edgeHealthPath}`)).rejects.toThrow();
  });
});
