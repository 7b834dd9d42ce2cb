import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeHealthPath } from "../../shared/http/edge-endpoints.ts";
import { forgeToken, tamperedToken, userIdOf } from "../api/fixtures.ts";
import { apiAt, createArticleAt, type RegisteredUser, registerUserAt, unique } from "../support/api-client.ts";
import { type EdgeStack, edgeRuntimes, settled, startEdgeStack } from "./support/edge-stack.ts";

/**
 * Everything the cache does not answer: forwarded to the origin as sent (method, body,
 * headers, plus who the client is and which request this is), a bad token refused at the
 * edge without the origin hearing of it, and bad input answered or passed on without
 * breaking the edge or being stored.
 */
let stack: EdgeStack;
let author: RegisteredUser;
let slug: string;

beforeAll(async () => {
  stack = await startEdgeStack({ runtimes: edgeRuntimes, originKnowsEdges: false });
  author = await registerUserAt(stack.originUrl);
  slug = (await createArticleAt(stack.originUrl, author.token)).slug;
});

afterAll(async () => {
  await stack?.stop();
});

interface RequestLine {
  msg?: string;
  method?: string;
  path?: string;
  requestId?: string;
  clientIp?: string;
}

const originLines = () =>
  stack.originLog.flatMap((line): RequestLine[] => {
    try {
      const entry = JSON.parse(line) as RequestLine;
      return entry.msg === "request" ? [entry] : [];
    } catch {
      return [];
    }
  });

describe.each(edgeRuntimes)("under %s", (runtime) => {
  const edge = () => stack.edges[runtime].url;

  it("forwards the method, body and headers, with the client's address and the request id", async () => {
    const requestId = unique("edge-fwd-");
    const response = await apiAt(edge(), "PUT", "/api/user", {
      token: author.token,
      body: { user: { bio: `bio ${requestId}` } },
      headers: { "x-request-id": requestId, "x-forwarded-for": "203.0.113.7" },
    });
    expect([response.status, response.body.user.bio, response.headers.get("x-request-id")]).toEqual([
      200,
      `bio ${requestId}`,
      requestId,
    ]);
    const line = await settled(() => originLines().find((entry) => entry.requestId === requestId));
    // The origin trusts loopback proxies, so it sees the address the edge was told of.
    expect(line).toMatchObject({ method: "PUT", path: "/api/user", clientIp: "203.0.113.7" });
  });

  it("gives a request without a usable id one, and the origin logs the same", async () => {
    const response = await apiAt(edge(), "GET", "/api/user", {
      token: author.token,
      headers: { "x-request-id": "not a plain id!" },
    });
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(/^[\w-]{8,}$/);
    expect(await settled(() => originLines().some((entry) => entry.requestId === requestId))).toBe(true);
  });

  describe("refuses a bad token itself, in the spec's shape, and the origin never sees it", () => {
    const badTokens: Record<string, () => Promise<string>> = {
      expired: async () =>
        `Token ${await forgeToken({ sub: String(userIdOf(author.token)), expiresAt: Math.floor(Date.now() / 1000) - 60 })}`,
      tampered: async () => `Token ${tamperedToken(author.token, String(userIdOf(author.token) + 1))}`,
      "signed with another secret": async () =>
        `Token ${await forgeToken({ sub: "1", secret: "another-secret-0123456789abcdefghijklmnop" })}`,
      "not a JWT": async () => "Token not-a-jwt",
      "in another scheme": async () => "Basic dXNlcjpwYXNz",
    };

    it.each(Object.keys(badTokens))("%s", async (name) => {
      const authorization = await badTokens[name]!();
      const target = unique("never-seen");
      const calls = [
        ["GET", `/api/articles/${target}`],
        ["PUT", `/api/articles/${target}`],
        ["GET", `/api/profiles/${target}`],
      ] as const;
      for (const [method, path] of calls) {
        const response = await apiAt(edge(), method, path, {
          headers: { authorization },
          ...(method === "PUT" ? { body: { article: { body: "x" } } } : {}),
        });
        expect([method, response.status, response.body]).toEqual([method, 401, { errors: { token: ["invalid"] } }]);
        expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
        expect(response.headers.get("x-cache")).toBe("BYPASS");
        expect(response.headers.get("server-timing")).toMatch(/^edge;dur=/);
      }
      const reached = await settled(() =>
        calls.reduce((sum, [method, path]) => sum + stack.originRequests(method, path), 0),
      );
      expect(reached).toBe(0);
    });

    it("a missing token where one is required", async () => {
      const response = await apiAt(edge(), "GET", "/api/articles/feed");
      expect([response.status, response.body]).toEqual([401, { errors: { token: ["is missing"] } }]);
    });
  });

  describe("bad input", () => {
    it("a huge query string in a declared parameter is passed on uncached; an undeclared one is dropped", async () => {
      const declared = `/api/articles?author=${author.username}&tag=${"x".repeat(8_000)}`;
      const responses = [await apiAt(edge(), "GET", declared), await apiAt(edge(), "GET", declared)];
      expect(responses.map((response) => response.headers.get("x-cache"))).toEqual(["BYPASS", "BYPASS"]);
      const undeclared = `/api/articles?author=${author.username}&limit=3&junk=${"x".repeat(8_000)}`;
      const first = await apiAt(edge(), "GET", undeclared);
      const second = await apiAt(edge(), "GET", `/api/articles?limit=3&author=${author.username}`);
      expect([first.status, first.headers.get("x-cache"), second.headers.get("x-cache")]).toEqual([200, "MISS", "HIT"]);
    });

    it("a URL far past any server's limit is answered, and the edge keeps serving", async () => {
      const response = await fetch(`${edge()}/api/articles?tag=${"y".repeat(100_000)}`);
      await response.arrayBuffer();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect((await apiAt(edge(), "GET", edgeHealthPath)).status).toBe(200);
    });

    it.each(["PROPFIND", "PATCH", "DELETE"])(
      "%s on a cacheable path is forwarded, and the cached entry is untouched",
      async (method) => {
        const path = `/api/articles/${slug}/comments`;
        await apiAt(edge(), "GET", path);
        const response = await apiAt(edge(), method, path);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get("x-cache")).toBe("BYPASS");
        expect((await apiAt(edge(), "GET", path)).headers.get("x-cache")).toBe("HIT");
      },
    );

    it("a method no standard defines is refused by workerd (501) or passed on to be refused by Node (400)", async () => {
      const path = `/api/articles/${slug}`;
      await apiAt(edge(), "GET", path);
      const response = await apiAt(edge(), "FROBNICATE", path);
      expect(response.status).toBe(runtime === "wrangler" ? 501 : 400);
      expect((await apiAt(edge(), "GET", path)).headers.get("x-cache")).toBe("HIT");
    });

    it("HEAD is forwarded and OPTIONS answers the CORS preflight", async () => {
      const head = await fetch(`${edge()}/api/articles/${slug}`, { method: "HEAD" });
      expect([head.status, head.headers.get("x-cache"), await head.text()]).toEqual([200, "BYPASS", ""]);
      const preflight = await fetch(`${edge()}/api/articles`, {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    });

    it.each([
      ["POST", "/api/articles", '{"article": {'],
      ["PUT", "/api/user", '{"user": {"bio": "x"}} trailing'],
      ["POST", "/api/users", ""],
    ])("malformed JSON to %s %s gets the origin's 400, uncached", async (method, path, rawBody) => {
      const response = await apiAt(edge(), method, path, {
        token: author.token,
        rawBody,
        headers: { "content-type": "application/json" },
      });
      expect([response.status, response.body]).toEqual([400, { errors: { request: ["body must be valid JSON"] } }]);
      expect(response.headers.get("x-cache")).toBe("BYPASS");
    });

    it("a body declared over the origin's limit is refused at the edge with a 413, never uploaded", async () => {
      const path = `/api/articles/${slug}/comments`;
      const before = stack.originRequests("POST", path);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          apiAt(edge(), "POST", path, {
            token: author.token,
            rawBody: JSON.stringify({ comment: { body: "b".repeat(1_100_000) } }),
            headers: { "content-type": "application/json" },
          }),
        ),
      );
      for (const response of responses) {
        expect([response.status, response.body]).toEqual([413, { errors: { request: ["body is too large"] } }]);
      }
      expect(await settled(() => stack.originRequests("POST", path) - before)).toBe(0);
    });
  });
});
