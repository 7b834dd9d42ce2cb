import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../stack/free-port.ts";
import { waitForAccessLog } from "./support/access-log.ts";
import { getExactly } from "./support/http-requests.ts";
import { fileLog, waitForLine } from "./support/origin-log.ts";
import { nginxServices } from "./support/services.ts";
import { startTestNginx, type TestNginx } from "./support/test-nginx.ts";

const origins = () => nginxServices().origins.map(fileLog);
const run = promisify(execFile);

let nginx: TestNginx;
beforeAll(async () => {
  const { tls } = nginxServices();
  // No static directory: /openapi.json is proxied, a JSON body large enough to compress.
  nginx = await startTestNginx({ tlsPort: await freePort(), tls });
});
afterAll(async () => {
  await nginx?.stop();
});

describe("X-Request-ID", () => {
  it("a client's id goes to the app, back to the client, and into both logs", async () => {
    const requestId = `client-${randomUUID()}`;
    const response = await fetch(`${nginx.url}/api/tags`, { headers: { "x-request-id": requestId } });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe(requestId);
    const [originLine] = await waitForLine(origins(), requestId);
    expect(originLine?.path).toBe("/api/tags");
    const entry = await waitForAccessLog(nginx.accessLogPath, requestId);
    expect(entry.status).toBe(200);
    expect(entry.upstreamAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    // Seconds with millisecond resolution, as NGINX times the upstream and the whole request.
    expect(entry.upstreamResponseTime).toMatch(/^\d+\.\d{3}$/);
    expect(typeof entry.requestTime).toBe("number");
  });

  it("without one, NGINX makes one and the app logs that same id", async () => {
    const response = await fetch(`${nginx.url}/api/tags`);
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    await waitForLine(origins(), requestId);
    await waitForAccessLog(nginx.accessLogPath, requestId);
  });

  it("an id the app would not keep (too long, odd characters) is replaced by NGINX's, so all logs still agree", async () => {
    for (const offered of ["x".repeat(129), "semi;colon", "spa ce"]) {
      const response = await fetch(`${nginx.url}/api/tags`, { headers: { "x-request-id": offered } });
      const requestId = response.headers.get("x-request-id") ?? "";
      expect(requestId).toMatch(/^[0-9a-f]{32}$/);
      await waitForLine(origins(), requestId);
      expect(response.headers.get("x-request-id")).not.toBe(offered);
    }
  });
});

describe("client address and scheme", () => {
  it("reach the app from X-Forwarded-For and X-Forwarded-Proto, over plain HTTP and over TLS", async () => {
    const plainId = `xff-${randomUUID()}`;
    await fetch(`${nginx.url}/api/tags`, { headers: { "x-request-id": plainId, "x-forwarded-for": "203.0.113.7" } });
    const [plain] = await waitForLine(origins(), plainId);
    expect(plain?.clientIp).toBe("203.0.113.7");
    expect(plain?.scheme).toBe("http");
    const entry = await waitForAccessLog(nginx.accessLogPath, plainId);
    expect(entry.clientIp).toBe("127.0.0.1");
    expect(entry.forwardedFor).toBe("203.0.113.7");

    const tlsId = `tls-${randomUUID()}`;
    const { caFile } = nginxServices().tls;
    await run("curl", ["-sS", "--cacert", caFile, "-H", `X-Request-ID: ${tlsId}`, `${nginx.tlsUrl}/api/tags`]);
    const [overTls] = await waitForLine(origins(), tlsId);
    expect(overTls?.scheme).toBe("https");
    expect(overTls?.clientIp).toBe("127.0.0.1");
  });
});

describe("gzip", () => {
  it("compresses JSON for a client that asks, and only then", async () => {
    const compressed = await getExactly(`${nginx.url}/openapi.json`, { "accept-encoding": "gzip" });
    expect(compressed.status).toBe(200);
    expect(compressed.headers["content-encoding"]).toBe("gzip");
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    const document = JSON.parse(gunzipSync(compressed.body).toString());
    expect(document.openapi).toBe("3.1.0");
    expect(compressed.body.length).toBeLessThan(JSON.stringify(document).length / 3);

    const plain = await getExactly(`${nginx.url}/openapi.json`, {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(plain.body.toString())).toEqual(document);
  });

  it("leaves small JSON bodies alone: compressing them costs more than it saves", async () => {
    const small = await getExactly(`${nginx.url}/healthz`, { "accept-encoding": "gzip" });
    expect(small.status).toBe(200);
    expect(small.headers["content-encoding"]).toBeUndefined();
  });
});

/**
 * What NGINX sends upstream, seen by a plain node:http server in the origin's place: the
 * headers no origin log shows, and whether the keep-alive pool is really used.
 */
describe("the upstream request", () => {
  const seen: { headers: IncomingHttpHeaders; httpVersion: string; socket: string }[] = [];
  let upstream: Server;
  let viaUpstream: TestNginx;

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      seen.push({
        headers: request.headers,
        httpVersion: request.httpVersion,
        socket: `${request.socket.remotePort}`,
      });
      response.setHeader("content-type", "application/json");
      response.end("{}");
    });
    // Node's default keep-alive (5 s) is shorter than NGINX's 60 s; match the origin's.
    upstream.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const { port } = upstream.address() as AddressInfo;
    viaUpstream = await startTestNginx({ upstreams: [{ host: "127.0.0.1", port }] });
  });
  afterAll(async () => {
    await viaUpstream?.stop();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it("is HTTP/1.1 with X-Real-IP, an appended X-Forwarded-For, X-Forwarded-Proto and no Connection: close", async () => {
    await fetch(`${viaUpstream.url}/api/tags`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    const request = seen.at(-1);
    expect(request?.httpVersion).toBe("1.1");
    expect(request?.headers["x-real-ip"]).toBe("127.0.0.1");
    expect(request?.headers["x-forwarded-for"]).toBe("203.0.113.7, 127.0.0.1");
    expect(request?.headers["x-forwarded-proto"]).toBe("http");
    expect(request?.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(request?.headers.connection).toBeUndefined();
  });

  it("reuses kept-alive connections instead of opening one per request", async () => {
    const before = seen.length;
    for (let i = 0; i < 20; i++) await (await fetch(`${viaUpstream.url}/api/tags`)).arrayBuffer();
    const sockets = new Set(seen.slice(before).map((request) => request.socket));
    // At most one per NGINX worker; without keepalive each request would bring its own.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});
