import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { errorCodes } from "../../shared/errors/error-codes.ts";
import { fileLog, linesWithId, settle } from "./support/origin-log.ts";
import { nginxServices } from "./support/services.ts";
import { startTestNginx, type TestNginx } from "./support/test-nginx.ts";

const origins = () => nginxServices().origins.map(fileLog);
const started: TestNginx[] = [];
afterAll(async () => {
  for (const nginx of started) await nginx.stop();
});

const nginxWith = async (rateLimit: boolean) => {
  const nginx = await startTestNginx({ rateLimit });
  started.push(nginx);
  return nginx;
};

/** Far more requests at once than the burst (200) the per-IP limiter allows, from one address. */
const flood = async (nginx: TestNginx, requests = 500) =>
  Promise.all(
    Array.from({ length: requests }, async () => {
      const requestId = `flood-${randomUUID()}`;
      const response = await fetch(`${nginx.url}/healthz`, { headers: { "x-request-id": requestId } });
      return { requestId, response, body: await response.text() };
    }),
  );

describe("the per-IP limiter", () => {
  it("answers a flood from one address with the app's JSON 429 and Retry-After, before any worker sees it", async () => {
    const results = await flood(await nginxWith(true));
    const limited = results.filter(({ response }) => response.status === 429);
    expect(limited.length).toBeGreaterThan(100);
    expect(results.every(({ response }) => response.status === 200 || response.status === 429)).toBe(true);
    const { key, message } = errorCodes.rateLimited;
    for (const { response, body } of limited) {
      expect(response.headers.get("retry-after")).toBe("1");
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(JSON.parse(body)).toEqual({ errors: { [key]: [message] } });
    }
    await settle(origins());
    for (const { requestId } of limited.slice(0, 50)) expect(await linesWithId(origins(), requestId)).toEqual([]);
  });

  it("never meets a client at the official RealWorld suite's pace (20 registrations, ~150 requests in seconds)", async () => {
    const nginx = await nginxWith(true);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const name = `pace${randomUUID().slice(0, 8)}`;
      const response = await fetch(`${nginx.url}/api/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: { username: name, email: `${name}@example.test`, password: "a-password-1" } }),
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    for (let i = 0; i < 150; i++) {
      const response = await fetch(`${nginx.url}/api/tags`);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    expect(statuses.slice(0, 20).every((status) => status === 201)).toBe(true);
  });

  it("is off when rateLimit is false (RATE_LIMIT=off): the same flood is served in full", async () => {
    const results = await flood(await nginxWith(false));
    expect(results.map(({ response }) => response.status).filter((status) => status !== 200)).toEqual([]);
  });

  it("can be switched off by a reload, without a restart", async () => {
    const nginx = await nginxWith(true);
    const masterPid = nginx.process.child.pid;
    await nginx.reload({ rateLimit: false });
    expect(nginx.process.child.pid).toBe(masterPid);
    const results = await flood(nginx);
    expect(results.filter(({ response }) => response.status === 429)).toEqual([]);
  });
});
