import { Hono } from "hono";
import { cors } from "hono/cors";
import { describe, expect, it } from "vitest";
import { createEdgeCors } from "./edge-cors.ts";

/**
 * The memory hit writes CORS headers itself; they must be the ones hono's middleware (the
 * origin's, and the edge's preflight) gives the same request.
 */
const corsHeadersOf = (headers: Headers) =>
  [...headers].filter(([name]) => name.startsWith("access-control-") || name === "vary");

const viaHono = async (origins: string[], requestOrigin: string | undefined) => {
  const app = new Hono();
  app.use(cors({ origin: origins.includes("*") ? "*" : origins, exposeHeaders: ["x-request-id"] }));
  app.get("/", () => new Response("{}", { headers: { "content-type": "application/json", vary: "accept" } }));
  const response = await app.request("/", { headers: requestOrigin ? { origin: requestOrigin } : {} });
  return corsHeadersOf(response.headers);
};

const viaEdge = (origins: string[], requestOrigin: string | undefined) => {
  const headers = new Headers({ "content-type": "application/json", vary: "accept" });
  createEdgeCors(origins).writeHeaders(headers, requestOrigin);
  return corsHeadersOf(headers);
};

describe("edge CORS on an actual request", () => {
  const cases = [
    { origins: ["*"], requestOrigin: "https://app.example" },
    { origins: ["*"], requestOrigin: undefined },
    { origins: ["https://app.example", "https://other.example"], requestOrigin: "https://app.example" },
    { origins: ["https://app.example"], requestOrigin: "https://evil.example" },
    { origins: ["https://app.example"], requestOrigin: undefined },
  ];
  for (const { origins, requestOrigin } of cases) {
    it(`writes what hono's middleware writes (${origins.join(" ")}, from ${requestOrigin ?? "no origin"})`, async () => {
      expect(viaEdge(origins, requestOrigin)).toEqual(await viaHono(origins, requestOrigin));
    });
  }
});
