import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWrk } from "./wrk.ts";

/** Real wrk (a Debian package the toolchain installs) against a real HTTP server. */
const seen: { path: string; authorization: string | undefined }[] = [];
const server = createServer((request: IncomingMessage, response) => {
  seen.push({ path: request.url ?? "", authorization: request.headers.authorization });
  response.end("ok");
});
let baseUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("runWrk", () => {
  it("cycles over the paths, sends the given headers with each request, and counts the answers", async () => {
    const result = await runWrk({
      baseUrl,
      paths: ["/a", "/b?x=1"],
      headers: { authorization: 'Token a"b' },
      seconds: 1,
      connections: 2,
      cpus: "0-1",
    });
    expect(result.failures).toBe(0);
    expect(result.requests).toBeGreaterThan(10);
    expect(seen.length).toBeGreaterThanOrEqual(result.requests);
    expect(new Set(seen.map((request) => request.path))).toEqual(new Set(["/a", "/b?x=1"]));
    expect(seen.every((request) => request.authorization === 'Token a"b')).toBe(true);
  });
});
