import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../stack/free-port.ts";
import { type OriginInstance, startOriginInstance } from "../../stack/origin-instance.ts";
import { accessLogEntries, waitForAccessLog } from "./support/access-log.ts";
import { linesWithId, memoryLog, type OriginLog, settle } from "./support/origin-log.ts";
import { nginxServices, originEnv } from "./support/services.ts";
import { startTestNginx, type TestNginx } from "./support/test-nginx.ts";

/**
 * Upstream failures, on two origin instances of this file's own (the shared ones must
 * stay up for the other files): down, frozen, stopped.
 */
interface OwnOrigin {
  instance: OriginInstance;
  port: number;
  log: OriginLog;
}

const startOwnOrigin = async (name: string): Promise<OwnOrigin> => {
  const port = await freePort();
  const lines: string[] = [];
  const instance = await startOriginInstance({
    name,
    port,
    databaseUrl: nginxServices().databaseUrl,
    workers: 2,
    env: originEnv,
    output: (line) => lines.push(line),
  });
  return { instance, port, log: memoryLog(name, instance.url, lines) };
};

/** SIGSTOP to its process group: primary and workers freeze; the kernel still accepts connections. */
const signalGroup = (origin: OwnOrigin, signal: NodeJS.Signals) => {
  const { child } = origin.instance.process;
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, signal);
};
const freeze = (origin: OwnOrigin) => signalGroup(origin, "SIGSTOP");
const thaw = (origin: OwnOrigin) => signalGroup(origin, "SIGCONT");

const upstreamOf = (origin: OwnOrigin) => ({ host: "127.0.0.1", port: origin.port });
const address = (origin: OwnOrigin) => `127.0.0.1:${origin.port}`;

let c: OwnOrigin;
let d: OwnOrigin;
const started: TestNginx[] = [];
const nginxWith = async (...args: Parameters<typeof startTestNginx>) => {
  const nginx = await startTestNginx(...args);
  started.push(nginx);
  return nginx;
};

beforeAll(async () => {
  [c, d] = await Promise.all([startOwnOrigin("origin-c"), startOwnOrigin("origin-d")]);
});
afterAll(async () => {
  for (const nginx of started) await nginx.stop();
  for (const origin of [c, d]) {
    if (!origin) continue;
    thaw(origin);
    await origin.instance.process.stop();
  }
});

const register = (nginx: TestNginx, requestId: string) => {
  const name = `f${randomUUID().slice(0, 12)}`;
  return fetch(`${nginx.url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ user: { username: name, email: `${name}@example.test`, password: "a-password-1" } }),
  });
};

describe("NGINX in front of failing instances", () => {
  it("answers a JSON 502 with Retry-After when no instance is up", async () => {
    const nginx = await nginxWith({
      upstreams: [
        { host: "127.0.0.1", port: await freePort() },
        { host: "127.0.0.1", port: await freePort() },
      ],
    });
    for (const request of [fetch(`${nginx.url}/api/tags`), register(nginx, `down-${randomUUID()}`)]) {
      const response = await request;
      expect(response.status).toBe(502);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toEqual({ errors: { origin: ["unavailable, retry later"] } });
    }
  });

  it("takes new upstreams on reload, without a restart", async () => {
    const nginx = await nginxWith({ upstreams: [{ host: "127.0.0.1", port: await freePort() }] });
    expect((await fetch(`${nginx.url}/healthz`)).status).toBe(502);
    const masterPid = nginx.process.child.pid;
    await nginx.reload({ upstreams: [upstreamOf(c)] });
    expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200);
    expect(nginx.process.child.pid).toBe(masterPid);
  });

  it("answers a JSON 504 when the only instance stops answering", async () => {
    const nginx = await nginxWith({ upstreams: [upstreamOf(c)], upstreamReadTimeoutSeconds: 1 });
    freeze(c);
    try {
      const startedAt = Date.now();
      const response = await fetch(`${nginx.url}/api/tags`);
      expect(response.status).toBe(504);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(await response.json()).toEqual({ errors: { origin: ["did not answer in time"] } });
    } finally {
      thaw(c);
    }
  });

  it("answers a GET that timed out on a frozen instance from the other one", async () => {
    const nginx = await nginxWith({ upstreams: [upstreamOf(c), upstreamOf(d)], upstreamReadTimeoutSeconds: 1 });
    freeze(c);
    try {
      const ids = Array.from({ length: 4 }, () => `get-${randomUUID()}`);
      for (const requestId of ids) {
        const response = await fetch(`${nginx.url}/api/tags`, { headers: { "x-request-id": requestId } });
        expect(response.status).toBe(200);
      }
      const tried = await Promise.all(ids.map((id) => waitForAccessLog(nginx.accessLogPath, id)));
      // At least one went to the frozen instance first, then to the other.
      expect(tried.map((entry) => entry.upstreamAddr)).toContain(`${address(c)}, ${address(d)}`);
    } finally {
      thaw(c);
    }
  });

  it("never sends a POST to a second instance, even when the first timed out", async () => {
    const nginx = await nginxWith({ upstreams: [upstreamOf(c), upstreamOf(d)], upstreamReadTimeoutSeconds: 1 });
    freeze(c);
    const posted: { requestId: string; status: number }[] = [];
    try {
      while (!posted.some(({ status }) => status === 504) && posted.length < 6) {
        const requestId = `post-${randomUUID()}`;
        const response = await register(nginx, requestId);
        await response.arrayBuffer();
        posted.push({ requestId, status: response.status });
      }
    } finally {
      thaw(c);
    }
    const timedOut = posted.filter(({ status }) => status === 504);
    expect(timedOut).toHaveLength(1);
    const [{ requestId } = { requestId: "" }] = timedOut;
    expect((await waitForAccessLog(nginx.accessLogPath, requestId)).upstreamAddr).toBe(address(c));
    await settle([c.log, d.log]);
    // The frozen instance may still run it once it thaws; the other one never saw it.
    expect(await linesWithId([d.log], requestId)).toEqual([]);
    expect((await linesWithId([c.log, d.log], requestId)).length).toBeLessThanOrEqual(1);
    for (const { requestId: answered } of posted.filter(({ status }) => status === 201)) {
      expect(await linesWithId([c.log, d.log], answered)).toHaveLength(1);
    }
  });

  it("routes around an instance that was stopped: every GET and POST is answered", async () => {
    const nginx = await nginxWith({ upstreams: [upstreamOf(c), upstreamOf(d)] });
    for (let i = 0; i < 4; i++) expect((await fetch(`${nginx.url}/api/tags`)).status).toBe(200);
    await d.instance.process.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${nginx.url}/api/tags`);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    for (let i = 0; i < 5; i++) {
      const response = await register(nginx, `after-stop-${randomUUID()}`);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    const entries = await accessLogEntries(nginx.accessLogPath);
    // Connection refused by the stopped one: safe to retry, POSTs included, as nothing was sent.
    expect(entries.some((entry) => entry.upstreamAddr === `${address(d)}, ${address(c)}`)).toBe(true);
  });
});
