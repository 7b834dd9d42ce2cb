import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes } from "../../shared/errors/error-codes.ts";
import { waitForAccessLog } from "./support/access-log.ts";
import { sendRawRequest } from "./support/http-requests.ts";
import { fileLog, linesWithId, settle, waitForLine } from "./support/origin-log.ts";
import { nginxServices } from "./support/services.ts";
import { startTestNginx, type TestNginx } from "./support/test-nginx.ts";

const mebibyte = 1_048_576;
const origins = () => nginxServices().origins.map(fileLog);
const jsonType = "application/json; charset=utf-8";

let nginx: TestNginx;
beforeAll(async () => {
  nginx = await startTestNginx();
});
afterAll(async () => {
  await nginx?.stop();
});

const postBody = (bytes: number, requestId: string) =>
  fetch(`${nginx.url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: `{"user":{"email":"${"a".repeat(bytes - 21)}"}}`,
  });

/** A request NGINX refused must leave no line in any origin's log, under any path. */
const expectAppNeverSaw = async (marker: string) => {
  await settle(origins());
  const lines = (await Promise.all(origins().map((log) => log.text()))).join("\n");
  expect(lines).not.toContain(marker);
};

describe("bad input stops at NGINX", () => {
  it("a body over the app's 1 MiB limit gets the app's 413 JSON from NGINX, and no worker sees it", async () => {
    const requestId = `too-large-${randomUUID()}`;
    const response = await postBody(mebibyte + 1, requestId);
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe(jsonType);
    expect(response.headers.get("x-request-id")).toBe(requestId);
    const { key, message } = errorCodes.bodyTooLarge;
    expect(await response.json()).toEqual({ errors: { [key]: [message] } });
    expect((await waitForAccessLog(nginx.accessLogPath, requestId)).upstreamAddr).toBe("");
    await expectAppNeverSaw(requestId);
  });

  it("a body of exactly 1 MiB passes NGINX and reaches the app", async () => {
    const requestId = `at-limit-${randomUUID()}`;
    const response = await postBody(mebibyte, requestId);
    await response.arrayBuffer();
    const [line] = await waitForLine(origins(), requestId);
    expect(line?.path).toBe("/api/users");
    expect(line?.status).toBe(response.status);
  });

  it("a chunked body that grows past the limit is cut off with the same 413", async () => {
    const marker = `chunked-${randomUUID()}`;
    const chunk = Buffer.alloc(256 * 1024, "a");
    const chunks = Array.from({ length: 5 }, () =>
      Buffer.concat([Buffer.from("40000\r\n"), chunk, Buffer.from("\r\n")]),
    );
    const request = Buffer.concat([
      Buffer.from(`POST /api/users HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: ${marker}\r\n`),
      Buffer.from("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"),
      ...chunks,
      Buffer.from("0\r\n\r\n"),
    ]);
    const response = await sendRawRequest(nginx.port, request);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body.toString())).toEqual({ errors: { request: ["body is too large"] } });
    await expectAppNeverSaw(marker);
  });

  const malformed = [
    [
      "a request line with junk after the version",
      (marker: string) => `GET /api/${marker} HTTP/1.1 junk\r\nHost: a\r\n\r\n`,
    ],
    [
      "a header name with a space in it",
      (marker: string) => `GET /api/${marker} HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n`,
    ],
    ["an HTTP/1.1 request without Host", (marker: string) => `GET /api/${marker} HTTP/1.1\r\n\r\n`],
    [
      "headers larger than NGINX's buffers",
      (marker: string) => `GET /api/${marker} HTTP/1.1\r\nHost: a\r\nX-Big: ${"b".repeat(16_384)}\r\n\r\n`,
    ],
    [
      "a Content-Length that is not a number",
      (marker: string) => `POST /api/${marker} HTTP/1.1\r\nHost: a\r\nContent-Length: ten\r\n\r\n`,
    ],
  ] as const;

  for (const [what, request] of malformed) {
    it(`${what} gets a JSON 400 from NGINX, and no worker sees it`, async () => {
      const marker = `malformed-${randomUUID()}`;
      const response = await sendRawRequest(nginx.port, request(marker));
      expect(response.status).toBe(400);
      expect(response.headers["content-type"]).toBe(jsonType);
      expect(JSON.parse(response.body.toString())).toEqual({ errors: { request: ["is malformed"] } });
      const requestId = response.headers["x-request-id"] ?? "";
      expect(requestId).toMatch(/^[0-9a-f]{32}$/);
      const logged = await waitForAccessLog(nginx.accessLogPath, requestId);
      expect(logged.status).toBe(400);
      expect(logged.upstreamAddr).toBe("");
      await expectAppNeverSaw(marker);
      expect(await linesWithId(origins(), requestId)).toEqual([]);
    });
  }
});

describe("what the public port does not serve", () => {
  it("refuses /metrics with a JSON 404, though every instance serves it to Prometheus directly", async () => {
    const response = await fetch(`${nginx.url}/metrics`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe(jsonType);
    const direct = await fetch(`${nginxServices().origins[0]?.url}/metrics`);
    expect(direct.status).toBe(200);
  });
});
