import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, apiAt, registerUserAt } from "../support/api-client.ts";
import { startTopology, type Topology } from "../support/topology.ts";

/**
 * Password guessing is limited per account and address, per account and per address,
 * counted across 2 instances x 2 workers; and password hashing, the API's CPU-heavy work,
 * refuses sign-ins it could not start soon instead of queueing them without bound.
 */
let topology: Topology;

beforeAll(async () => {
  topology = await startTopology({
    instances: 2,
    workers: 2,
    env: {
      RATE_LIMIT: "on",
      LOGIN_FAILURES_PER_ACCOUNT_AND_IP: "3",
      LOGIN_FAILURES_PER_ACCOUNT: "6",
      LOGIN_FAILURES_PER_IP: "8",
      LOGIN_FAILURE_WINDOW_S: "600",
    },
  });
});

afterAll(async () => {
  await topology?.stop();
});

let clients = 0;
const newClient = () => `198.51.100.${++clients}`;
const instance = (i: number) => topology.instances[i % 2]?.url ?? "";

const login = (i: number, email: string, password: string, ip: string): Promise<ApiResponse> =>
  apiAt(instance(i), "POST", "/api/users/login", {
    body: { user: { email, password } },
    headers: { "x-forwarded-for": ip },
  });

describe("sign-in guessing limits", () => {
  it("after 3 failures for one email from one address, even the right password waits", async () => {
    const user = await registerUserAt(instance(0), "guessed");
    const ip = newClient();
    for (let i = 0; i < 3; i++) expect((await login(i, user.email, "wrong password", ip)).status).toBe(401);
    const refused = await login(3, user.email, user.password, ip);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ errors: { rate: ["limit exceeded, retry later"] } });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // The same account from another address is still open.
    expect((await login(4, user.email, user.password, newClient())).status).toBe(200);
  });

  it("a success clears that email and address, so a few typos never add up", async () => {
    const user = await registerUserAt(instance(0), "typos");
    const ip = newClient();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await login(i, user.email, "typo typo", ip)).status).toBe(401);
      expect((await login(round, user.email, user.password, ip)).status).toBe(200);
    }
  });

  it("failures for one email from many addresses stop at the per-account limit", async () => {
    const user = await registerUserAt(instance(0), "targeted");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(i, user.email, "wrong password", newClient())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
  });

  it("failures from one address across many emails stop at the per-address limit", async () => {
    const ip = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await login(i, `nobody${i}-${ip}@example.test`, "whatever pw", ip)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
  });

  it("emails compare without case, as the users table does", async () => {
    const user = await registerUserAt(instance(0), "cased");
    const ip = newClient();
    for (let i = 0; i < 3; i++)
      expect((await login(i, user.email.toUpperCase(), "wrong password", ip)).status).toBe(401);
    expect((await login(3, user.email, user.password, ip)).status).toBe(429);
  });
});

describe("password hashing under a sign-in storm", () => {
  it("refuses sign-ins past the queue with a 503 and Retry-After, and answers the rest", async () => {
    const busy = await topology.startInstance({
      name: "busy-origin",
      workers: 1,
      // No queue: any sign-in that arrives while one is hashing is refused. How many hashes
      // wait is pinned in origin/auth/password.test.ts; here it is the answer end to end, which
      // needs only two sign-ins of the storm to overlap, however busy the machine is.
      env: { LOG_LEVEL: "warn", PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_QUEUE: "0" },
      output: "ignore",
    });
    try {
      const user = await registerUserAt(busy.url, "stormed");
      // Open the storm's connections first: the primary hands new connections to the worker
      // one at a time, and on a busy machine that alone can spread the storm out so far that
      // no two sign-ins overlap.
      await Promise.all(Array.from({ length: 16 }, () => apiAt(busy.url, "GET", "/api/tags")));
      const responses = await Promise.all(
        Array.from({ length: 16 }, () =>
          apiAt(busy.url, "POST", "/api/users/login", {
            body: { user: { email: user.email, password: user.password } },
          }),
        ),
      );
      const refused = responses.filter((response) => response.status === 503);
      const answered = responses.filter((response) => response.status === 200);
      expect(answered.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length + answered.length).toBe(16);
      for (const response of refused) {
        expect(response.body).toEqual({ errors: { credentials: ["too many sign-ins at once, retry later"] } });
        expect(response.headers.get("retry-after")).toBe("1");
      }
    } finally {
      await busy.process.stop();
    }
  });
});
