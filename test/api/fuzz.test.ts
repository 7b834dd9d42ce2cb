import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, createArticle, type RegisteredUser, registerUser } from "../support/api-client.ts";
import { expectErrorShape, jsonContentType } from "./fixtures.ts";
import { anyBody, type BodyFor, queryString, urlPiece } from "./fuzz-arbitraries.ts";

/**
 * Property-based robustness: whatever arrives in a body, a query string or a path segment,
 * the API answers a 2xx or a 4xx in the spec's shape, never a 5xx, and stays healthy.
 */
const numRuns = 150;
const timeout = 60_000;

let user: RegisteredUser;
let ownSlug: string;
const createdSlugs: string[] = [];

beforeAll(async () => {
  user = await registerUser("fuzz");
  ownSlug = (await createArticle(user.token)).slug;
});

afterAll(async () => {
  // Some random bodies are valid and create articles (and tags); leave the shared database as found.
  for (const slug of createdSlugs)
    await api("DELETE", `/api/articles/${encodeURIComponent(slug)}`, { token: user.token });
});

interface Sent {
  method: string;
  path: string;
  body?: string;
  token?: boolean;
}

/** Sends one request and checks the answer is never a 5xx and always well-formed JSON. */
const sendAndCheck = async ({ method, path, body, token }: Sent) => {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Token ${user.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${baseUrl()}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  const context = `${method} ${path.slice(0, 300)} ${body?.slice(0, 300) ?? ""} -> ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  if (response.status === 204) {
    expect(text, context).toBe("");
    return { status: response.status, body: undefined };
  }
  expect(response.headers.get("content-type"), context).toBe(jsonContentType);
  const parsed = JSON.parse(text);
  if (response.status >= 400) expectErrorShape(parsed);
  else expect(typeof parsed, context).toBe("object");
  if (method === "POST" && path === "/api/articles" && response.status === 201) createdSlugs.push(parsed.article.slug);
  if (method === "PUT" && path.startsWith("/api/articles/") && response.status === 200) {
    // A valid title moved the article to a new slug; keep aiming at it.
    ownSlug = parsed.article.slug;
  }
  return { status: response.status, body: parsed };
};

const expectHealthy = async () => {
  expect((await api("GET", "/healthz")).status).toBe(200);
  expect((await api("GET", "/readyz")).status).toBe(200);
  const me = await api("GET", "/api/user", { token: user.token });
  expect(me.status).toBe(200);
};

interface WriteRoute {
  method: string;
  path: () => string;
  token: boolean;
  wrapper: string;
}

const writeRouteList: WriteRoute[] = [
  { method: "POST", path: () => "/api/users", token: false, wrapper: "user" },
  { method: "POST", path: () => "/api/users/login", token: false, wrapper: "user" },
  { method: "PUT", path: () => "/api/user", token: true, wrapper: "user" },
  { method: "POST", path: () => "/api/articles", token: true, wrapper: "article" },
  { method: "PUT", path: () => `/api/articles/${encodeURIComponent(ownSlug)}`, token: true, wrapper: "article" },
  {
    method: "POST",
    path: () => `/api/articles/${encodeURIComponent(ownSlug)}/comments`,
    token: true,
    wrapper: "comment",
  },
];
const writeRoutes = fc.constantFrom(...writeRouteList);
const createArticleRoute = writeRouteList[3]!;

const anonymousListRoute = { path: "/api/articles", token: false };
const listRoutes = fc.constantFrom(
  anonymousListRoute,
  { path: "/api/articles", token: true },
  { path: "/api/articles/feed", token: true },
  { path: "/api/tags", token: false },
);

type SegmentRoute = (segment: string) => Sent;

const getArticleRoute: SegmentRoute = (segment) => ({ method: "GET", path: `/api/articles/${segment}` });
const deleteCommentRoute: SegmentRoute = (segment) => ({
  method: "DELETE",
  path: `/api/articles/${encodeURIComponent(ownSlug)}/comments/${segment}`,
  token: true,
});

const segmentRoutes = fc.constantFrom<SegmentRoute>(
  getArticleRoute,
  deleteCommentRoute,
  (segment: string) => ({ method: "GET", path: `/api/articles/${segment}`, token: true }),
  (segment: string) => ({ method: "GET", path: `/api/articles/${segment}/comments` }),
  (segment: string) => ({ method: "GET", path: `/api/profiles/${segment}` }),
  (segment: string) => ({ method: "POST", path: `/api/profiles/${segment}/follow`, token: true }),
  (segment: string) => ({ method: "DELETE", path: `/api/profiles/${segment}/follow`, token: true }),
  (segment: string) => ({ method: "POST", path: `/api/articles/${segment}/favorite`, token: true }),
  (segment: string) => ({ method: "DELETE", path: `/api/articles/${segment}/favorite`, token: true }),
  (segment: string) => ({ method: "DELETE", path: `/api/articles/${segment}`, token: true }),
  (segment: string) => ({
    method: "PUT",
    path: `/api/articles/${segment}`,
    token: true,
    body: JSON.stringify({ article: { body: "b" } }),
  }),
  (segment: string) => ({
    method: "POST",
    path: `/api/articles/${segment}/comments`,
    token: true,
    body: JSON.stringify({ comment: { body: "c" } }),
  }),
);

/**
 * Inputs that once broke the API, tried before the random ones in every run: a property
 * then fails the same way each time while such a bug exists, instead of when luck finds it.
 */
const knownTroublemakers = {
  bodies: [
    [createArticleRoute, () => JSON.stringify({ article: { title: "a\u0000b", description: "d", body: "b" } })],
  ] as [WriteRoute, BodyFor][],
  queries: [[anonymousListRoute, "tag=a%00b"]] as [typeof anonymousListRoute, string][],
  segments: [
    [getArticleRoute, "a%00b"],
    [deleteCommentRoute, "2147483648"],
  ] as [SegmentRoute, string][],
};

// ---- properties ----

describe("property: the API never answers 5xx", () => {
  it(
    "arbitrary JSON bodies to every write route get a 2xx or a 4xx in the error shape",
    async () => {
      await fc.assert(
        fc.asyncProperty(writeRoutes, anyBody, async (route, body) => {
          await sendAndCheck({
            method: route.method,
            path: route.path(),
            token: route.token,
            body: body(route.wrapper),
          });
        }),
        { numRuns, examples: knownTroublemakers.bodies },
      );
      await expectHealthy();
    },
    timeout,
  );

  it(
    "arbitrary query strings to the list routes get a 200 list or a 4xx in the error shape",
    async () => {
      await fc.assert(
        fc.asyncProperty(listRoutes, queryString, async (route, query) => {
          const { status, body } = await sendAndCheck({
            method: "GET",
            path: `${route.path}?${query}`,
            token: route.token,
          });
          if (status === 200 && route.path !== "/api/tags") {
            expect(body).toEqual({ articles: expect.any(Array), articlesCount: expect.any(Number) });
          }
        }),
        { numRuns, examples: knownTroublemakers.queries },
      );
      await expectHealthy();
    },
    timeout,
  );

  it(
    "arbitrary slug, username and comment-id segments get a 2xx or a 4xx in the error shape",
    async () => {
      await fc.assert(
        fc.asyncProperty(segmentRoutes, urlPiece, async (route, segment) => {
          await sendAndCheck(route(segment || "x"));
        }),
        { numRuns, examples: knownTroublemakers.segments },
      );
      await expectHealthy();
    },
    timeout,
  );

  it(
    "arbitrary bytes as a JSON body are a 400 or a 4xx, never a 5xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(writeRoutes, fc.string({ unit: "binary", maxLength: 200 }), async (route, text) => {
          await sendAndCheck({ method: route.method, path: route.path(), token: route.token, body: text });
        }),
        { numRuns },
      );
      await expectHealthy();
    },
    timeout,
  );
});
