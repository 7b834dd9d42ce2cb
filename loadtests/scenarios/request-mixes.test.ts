import { describe, expect, it } from "vitest";
import { routeTable } from "../../shared/routes/route-table.ts";
import { seededRandom } from "../testing/seeded-random.ts";
import { browseWeights, createBrowseMix } from "./browse-mix.ts";
import { mixRequestNames } from "./catalog.ts";
import type { LoadUser } from "./load-users.ts";
import { createMixedMix, mixedWeights, mixedWriteNames } from "./mixed-mix.ts";
import type { RequestSpec } from "./request-spec.ts";
import type { SeedData } from "./seed-data.ts";
import { totalWeight } from "./weighted-choice.ts";

const seed: SeedData = {
  tags: ["dragons", "café", "rust"],
  slugs: ["how-to-train-your-dragon", "crème-brûlée-ünïcode", "a/b?c#d"],
  usernames: ["jake", "Ζωή"],
  articlesCount: 57,
};

const user: LoadUser = { username: "load_1", email: "load_1@load.test", password: "secret-password", token: "jwt" };

const draw = (next: () => RequestSpec, count: number): RequestSpec[] => Array.from({ length: count }, next);

describe("request mix weights", () => {
  it("are percentages: each mix sums to 100", () => {
    expect(totalWeight(browseWeights)).toBe(100);
    expect(totalWeight(mixedWeights)).toBe(100);
  });

  it("make writes 10% of the logged-in mix", () => {
    const writes = mixedWriteNames.reduce((sum, name) => sum + mixedWeights[name], 0);
    expect(writes / totalWeight(mixedWeights)).toBe(0.1);
  });
});

describe("requests of the mixes", () => {
  const browseMix = createBrowseMix(seed, { zipfExponent: 1 });
  const mixedMix = createMixedMix(seed, { zipfExponent: 1 });
  const browseRandom = seededRandom(3);
  const mixedRandom = seededRandom(4);
  const browseRequests = draw(() => browseMix.next(browseRandom), 2_000);
  const mixedRequests = draw(() => mixedMix.next(mixedRandom, user), 2_000);

  it("use only routes the API declares", () => {
    const routes = new Set(Object.keys(routeTable));
    for (const request of [...browseRequests, ...mixedRequests]) expect(routes).toContain(request.route);
  });

  it("label every request with a name of its mix, and use every name", () => {
    expect(new Set(browseRequests.map((request) => request.name))).toEqual(new Set(mixRequestNames.browse));
    expect(new Set(mixedRequests.map((request) => request.name))).toEqual(new Set(mixRequestNames.mixed));
  });

  it("percent-encode unicode and reserved characters in slugs, usernames and tags", () => {
    for (const request of [...browseRequests, ...mixedRequests]) {
      expect(request.path).toMatch(/^\/api\/[A-Za-z0-9%/?=&._~!*'()-]*$/);
      expect(request.path).not.toContain("a/b");
    }
    const paths = browseRequests.map((request) => request.path);
    expect(paths).toContain(`/api/articles/${encodeURIComponent("crème-brûlée-ünïcode")}`);
    expect(paths.some((path) => path.includes(`tag=${encodeURIComponent("café")}`))).toBe(true);
  });

  it("send no token for anonymous readers and `Token <jwt>` for logged-in users", () => {
    for (const request of browseRequests) expect(request.headers.Authorization).toBeUndefined();
    for (const request of mixedRequests.filter((request) => request.name !== "login")) {
      expect(request.headers.Authorization).toBe("Token jwt");
    }
  });

  it("send JSON bodies in the spec's envelopes", () => {
    const byName = new Map(mixedRequests.map((request) => [request.name, request]));
    expect(JSON.parse(byName.get("createArticle")?.body ?? "{}").article).toMatchObject({
      title: expect.any(String),
      description: expect.any(String),
      body: expect.any(String),
      tagList: expect.any(Array),
    });
    expect(JSON.parse(byName.get("createComment")?.body ?? "{}")).toEqual({ comment: { body: expect.any(String) } });
    expect(JSON.parse(byName.get("login")?.body ?? "{}")).toEqual({
      user: { email: user.email, password: user.password },
    });
    expect(byName.get("favoriteArticle")?.body).toBeUndefined();
    expect(byName.get("createArticle")?.headers["Content-Type"]).toBe("application/json");
  });

  it("page through lists ten at a time, within the pages the data fills", () => {
    for (const request of browseRequests.filter((request) => request.name === "listArticles")) {
      const offset = Number(/offset=(\d+)/.exec(request.path)?.[1]);
      expect(request.path).toContain("limit=10");
      expect(offset % 10).toBe(0);
      expect(offset).toBeLessThan(57);
    }
  });
});
