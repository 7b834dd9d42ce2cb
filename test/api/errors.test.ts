import net from "node:net";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { api, createArticle, type RegisteredUser, registerUser } from "../support/api-client.ts";
import { expectError, jsonContentType, rawRequest } from "./fixtures.ts";

let user: RegisteredUser;
let slug: string;

beforeAll(async () => {
  user = await registerUser();
  slug = (await createArticle(user.token)).slug;
});

/** Every route that reads a JSON body, with a token where it needs one. */
const jsonRoutes: Record<string, () => { method: string; path: string; auth: boolean }> = {
  "POST /api/users": () => ({ method: "POST", path: "/api/users", auth: false }),
  "POST /api/users/login": () => ({ method: "POST", path: "/api/users/login", auth: false }),
  "PUT /api/user": () => ({ method: "PUT", path: "/api/user", auth: true }),
  "POST /api/articles": () => ({ method: "POST", path: "/api/articles", auth: true }),
  "PUT /api/articles/:slug": () => ({ method: "PUT", path: `/api/articles/${slug}`, auth: true }),
  "POST /api/articles/:slug/comments": () => ({ method: "POST", path: `/api/articles/${slug}/comments`, auth: true }),
};
const routeNames = Object.keys(jsonRoutes);

const sendRaw = (name: string, rawBody: string, contentType?: string) => {
  const { method, path, auth } = jsonRoutes[name]!();
  return api(method, path, {
    ...(auth ? { token: user.token } : {}),
    rawBody,
    headers: contentType ? { "content-type": contentType } : {},
  });
};

const malformedJson = { request: ["body must be valid JSON"] };

describe("request bodies", () => {
  it.each(routeNames)("%s answers 400 to malformed JSON", async (name) => {
    expectError(await sendRaw(name, '{"user": {', "application/json"), 400, malformedJson);
  });

  it.each(routeNames)("%s answers 400 to JSON followed by garbage", async (name) => {
    expectError(await sendRaw(name, '{"article": {}} trailing', "application/json"), 400, malformedJson);
  });

  it.each(routeNames)("%s answers 400 to an empty JSON body", async (name) => {
    expectError(await sendRaw(name, "", "application/json"), 400, malformedJson);
  });

  it.each(routeNames)("%s answers 415 to a text/plain body", async (name) => {
    expectError(await sendRaw(name, '{"user":{}}', "text/plain"), 415, {
      "content-type": ["must be application/json"],
    });
  });

  it.each(routeNames)("%s answers 415 to a body without a content type", async (name) => {
    expectError(await sendRaw(name, '{"user":{}}'), 415, { "content-type": ["must be application/json"] });
  });

  it("accepts application/json with a charset parameter", async () => {
    const response = await api("POST", "/api/articles", {
      token: user.token,
      body: { article: { title: "charset", description: "d", body: "b" } },
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(response.status).toBe(201);
  });

  it("answers 422, not 413, to a body of exactly 1 MiB", async () => {
    const skeleton = JSON.stringify({ article: { title: "t", description: "d", body: "" } });
    const body = JSON.stringify({
      article: { title: "t", description: "d", body: "b".repeat(1_048_576 - skeleton.length) },
    });
    expect(Buffer.byteLength(body)).toBe(1_048_576);
    const response = await api("POST", "/api/articles", {
      token: user.token,
      rawBody: body,
      headers: { "content-type": "application/json" },
    });
    expectError(response, 422, { body: ["is too long (maximum is 100000 characters)"] });
  });

  it.each([
    ["POST", "/api/articles"],
    ["PUT", "/api/user"],
  ])("%s %s answers 413 to a body over 1 MiB", async (method, path) => {
    const body = JSON.stringify({ article: { title: "t", description: "d", body: "b".repeat(1_100_000) } });
    const response = await rawRequest(method, path, {
      headers: { "content-type": "application/json", authorization: `Token ${user.token}` },
      body,
    });
    expect(response.status).toBe(413);
    expect(response.headers["content-type"]).toBe(jsonContentType);
    expect(JSON.parse(response.body)).toEqual({ errors: { request: ["body is too large"] } });
  });

  it("after a 413 the connection either serves the next request or was announced as closing", async () => {
    const body = JSON.stringify({ article: { title: "t", description: "d", body: "b".repeat(1_100_000) } });
    const exchange = await twoRequestsOnOneConnection(
      `POST /api/articles HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\nauthorization: Token ${user.token}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      "GET /healthz HTTP/1.1\r\nhost: test\r\n\r\n",
    );
    expect(exchange.first).toMatch(/^HTTP\/1\.1 413 /);
    if (!/\r\nconnection: close\r\n/i.test(exchange.first)) {
      // Keep-alive was promised, so a client may (and undici does) reuse the socket.
      expect(exchange.second, "the next request on the kept-alive connection").toMatch(/^HTTP\/1\.1 200 /);
    }
  });
});

/**
 * Sends `first`, waits for its whole response, then sends `second` on the same socket if
 * the server left it open; resolves when both responses arrived or the server closed.
 */
const twoRequestsOnOneConnection = (first: string, second: string) =>
  new Promise<{ first: string; second: string }>((resolve) => {
    const url = new URL(inject("originUrl"));
    const socket = net.connect(Number(url.port), url.hostname);
    const responses: string[] = [];
    let buffered = "";
    const finish = () => resolve({ first: responses[0] ?? buffered, second: responses[1] ?? "" });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      const complete = completeResponse(buffered);
      if (!complete) return;
      responses.push(complete);
      buffered = buffered.slice(complete.length);
      if (responses.length === 1 && !/\r\nconnection: close\r\n/i.test(complete)) socket.write(second);
      else socket.end();
    });
    // The server may stop reading the refused body; writes then fail, which is expected here.
    socket.on("error", () => {});
    socket.on("close", finish);
    socket.write(first);
  });

/** The first full HTTP/1.1 response in `text`, framed by its content-length. */
const completeResponse = (text: string): string | undefined => {
  const headerEnd = text.indexOf("\r\n\r\n");
  if (headerEnd < 0) return undefined;
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, headerEnd))?.[1] ?? 0);
  const end = headerEnd + 4 + length;
  return text.length >= end ? text.slice(0, end) : undefined;
};

describe("unknown routes", () => {
  it.each([
    ["GET", "/api/nothing-here"],
    ["GET", "/api"],
    ["GET", `/api/articles/x/comments/1`],
  ])("%s %s answers 404 route not found as JSON", async (method, path) => {
    const response = await api(method, path);
    expectError(response, 404, { route: ["not found"] });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("error responses", () => {
  it("carry no-store and never a cache tag", async () => {
    const response = await api("GET", "/api/articles/definitely-not-there-zz");
    expect(response.status).toBe(404);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("cache-tag")).toBeNull();
  });

  it("carry a request id, and a short plain one from the client is kept", async () => {
    const response = await api("GET", "/api/articles/definitely-not-there-zz", {
      headers: { "x-request-id": "abc-123" },
    });
    expect(response.headers.get("x-request-id")).toBe("abc-123");
  });
});
