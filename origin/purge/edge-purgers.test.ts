import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../stack/free-port.ts";
import { cloudflareTarget } from "./cloudflare-target.ts";
import { directEdgePurger } from "./direct-edge-purger.ts";
import { edgeEndpointTarget } from "./edge-endpoint-target.ts";
import { PurgeNotDelivered } from "./purge-target.ts";

/** A real HTTP server standing in for an edge or the Cloudflare API: it records what it got. */
interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: unknown;
}

const servers: ReturnType<typeof createServer>[] = [];
const recordingServer = async (status = 200, delayMs = 0) => {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body: JSON.parse(body) });
      setTimeout(() => response.writeHead(status, { "content-type": "application/json" }).end("{}"), delayMs);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
};

const logged: { msg: string }[] = [];
const logger = pino({ level: "warn" }, { write: (line: string) => logged.push(JSON.parse(line)) });

afterEach(async () => {
  logged.length = 0;
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const edges = (urls: string[], timeoutMs = 1_000) =>
  urls.map((url) => edgeEndpointTarget({ url, secret: "s3cret", timeoutMs }));

describe("purging our own edges", () => {
  it("posts the tags with the secret to every edge's purge endpoint", async () => {
    const [a, b] = [await recordingServer(), await recordingServer()];
    await directEdgePurger(edges([a.url, b.url]), logger).purge(["article:x"]);
    for (const edge of [a, b]) {
      expect(edge.received).toEqual([
        expect.objectContaining({
          method: "POST",
          url: "/__edge/purge",
          headers: expect.objectContaining({ "x-edge-purge-secret": "s3cret" }),
          body: { tags: ["article:x"] },
        }),
      ]);
    }
  });

  it("a target throws when the purge did not certainly happen, so the queue tries again", async () => {
    const [refusing, slow] = [await recordingServer(401), await recordingServer(200, 2_000)];
    const down = `http://127.0.0.1:${await freePort()}`;
    for (const url of [refusing.url, slow.url, down]) {
      await expect(edges([url], 300)[0]?.send(["tags"])).rejects.toBeInstanceOf(PurgeNotDelivered);
    }
  });

  it("sent directly, a down, refusing or slow edge is logged, never thrown, and the others still purged", async () => {
    const [refusing, slow, healthy] = [
      await recordingServer(401),
      await recordingServer(200, 2_000),
      await recordingServer(),
    ];
    const down = `http://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    await directEdgePurger(edges([down, refusing.url, slow.url, healthy.url], 300), logger).purge(["tags"]);
    // Not waiting for the slow edge is the point: waiting would take its 2 s.
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(healthy.received).toHaveLength(1);
    expect(logged.map((line) => line.msg)).toEqual(
      Array(3).fill("purge not delivered: the copy lives until it expires"),
    );
  });
});

describe("purging through Cloudflare", () => {
  it("sends the tags as Cache-Tag spells them, 30 per call, with the API token", async () => {
    const api = await recordingServer();
    const tags = ["article:日本", ...Array.from({ length: 30 }, (_, index) => `profile:u${index}`)];
    await cloudflareTarget({ zoneId: "zone-1", apiToken: "tok", timeoutMs: 1_000, apiBase: api.url }).send(tags);
    expect(api.received.map((call) => [call.url, call.headers.authorization])).toEqual([
      ["/zones/zone-1/purge_cache", "Bearer tok"],
      ["/zones/zone-1/purge_cache", "Bearer tok"],
    ]);
    const sent = api.received.flatMap((call) => (call.body as { tags: string[] }).tags);
    expect(sent).toHaveLength(31);
    expect(sent[0]).toBe(`article:${encodeURIComponent("日本")}`);
  });

  it("throws on a refused purge, so it is retried", async () => {
    const api = await recordingServer(403);
    await expect(
      cloudflareTarget({ zoneId: "z", apiToken: "t", timeoutMs: 1_000, apiBase: api.url }).send(["tags"]),
    ).rejects.toThrow("cloudflare answered 403");
  });
});
