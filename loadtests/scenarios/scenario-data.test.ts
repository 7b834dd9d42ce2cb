import { describe, expect, it } from "vitest";
import { seededRandom } from "../testing/seeded-random.ts";
import type { RequestSpec, ResponseLike } from "./request-spec.ts";
import { runFlowSync } from "./request-spec.ts";
import { prepareScenarioData } from "./scenario-data.ts";

/** A pretend API: 150 articles by three authors, and a log of what was asked. */
const fakeApi = () => {
  const log: RequestSpec[] = [];
  const articles = Array.from({ length: 150 }, (_, index) => ({
    slug: `article-${index}`,
    author: { username: `author-${index % 3}` },
  }));
  const send = (request: RequestSpec): ResponseLike => {
    log.push(request);
    const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
    if (request.path === "/api/tags") return json(200, { tags: ["a", "b"] });
    const page = /^\/api\/articles\?limit=(\d+)&offset=(\d+)$/.exec(request.path);
    if (page) {
      const [limit, offset] = [Number(page[1]), Number(page[2])];
      return json(200, { articles: articles.slice(offset, offset + limit), articlesCount: articles.length });
    }
    if (request.path === "/api/users") return json(201, { user: { token: "registered" } });
    if (request.path === "/api/users/login") {
      const email: string = JSON.parse(request.body ?? "{}").user.email;
      return json(200, { user: { token: `token-of-${email}` } });
    }
    if (request.path.endsWith("/follow")) return json(200, { profile: {} });
    return json(404, { errors: { path: ["not found"] } });
  };
  return { log, send };
};

describe("prepareScenarioData", () => {
  it("discovers tags, slugs and authors through the API, page by page", () => {
    const api = fakeApi();
    const data = runFlowSync(
      prepareScenarioData("browse", { maxArticles: 1000, users: 3, zipfExponent: 1 }, "r", Math.random),
      api.send,
    );
    expect(data.seed.tags).toEqual(["a", "b"]);
    expect(data.seed.slugs).toHaveLength(150);
    expect(data.seed.usernames).toEqual(["author-0", "author-1", "author-2"]);
    expect(data.seed.articlesCount).toBe(150);
    expect(data.users).toEqual([]);
    expect(api.log.map((request) => request.path)).toEqual([
      "/api/tags",
      "/api/articles?limit=100&offset=0",
      "/api/articles?limit=100&offset=100",
    ]);
  });

  it("stops at maxArticles", () => {
    const api = fakeApi();
    const data = runFlowSync(
      prepareScenarioData("browse", { maxArticles: 30, users: 1, zipfExponent: 1 }, "r", Math.random),
      api.send,
    );
    expect(data.seed.slugs).toHaveLength(30);
    expect(data.seed.articlesCount).toBe(150);
  });

  it("registers uniquely named users, logs them in, and follows authors for the logged-in mix", () => {
    const api = fakeApi();
    const data = runFlowSync(
      prepareScenarioData("mixed", { maxArticles: 100, users: 3, zipfExponent: 1 }, "run42", seededRandom(1)),
      api.send,
    );
    expect(data.users.map((user) => user.username)).toEqual(["load_run42_0", "load_run42_1", "load_run42_2"]);
    expect(data.users[0]?.token).toBe("token-of-load_run42_0@load.test");
    const follows = api.log.filter((request) => request.path.endsWith("/follow"));
    expect(follows.length).toBeGreaterThanOrEqual(3);
    expect(follows.every((request) => request.headers.Authorization?.startsWith("Token token-of-"))).toBe(true);
  });

  it("refuses to run against an API without articles", () => {
    const empty = (request: RequestSpec): ResponseLike =>
      request.path === "/api/tags"
        ? { status: 200, body: '{"tags":[]}' }
        : { status: 200, body: '{"articles":[],"articlesCount":0}' };
    expect(() =>
      runFlowSync(
        prepareScenarioData("browse", { maxArticles: 100, users: 1, zipfExponent: 1 }, "r", Math.random),
        empty,
      ),
    ).toThrow(/seed it first/);
  });

  it("stops with the failing request when the API answers with an error", () => {
    const failing = (): ResponseLike => ({ status: 503, body: "upstream down" });
    expect(() =>
      runFlowSync(
        prepareScenarioData("browse", { maxArticles: 100, users: 1, zipfExponent: 1 }, "r", Math.random),
        failing,
      ),
    ).toThrow("GET /api/tags: expected 200, got 503 upstream down");
  });
});
