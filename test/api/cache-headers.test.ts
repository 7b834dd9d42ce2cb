import { describe, expect, it } from "vitest";
import { type ApiResponse, api, createArticle, registerUser, unique } from "../support/api-client.ts";
import { anonymousRead, parseTags } from "./fixtures.ts";

const publicCacheControl = (sMaxAge: number, staleWhileRevalidate: number) =>
  `public, max-age=0, s-maxage=${sMaxAge}, stale-while-revalidate=${staleWhileRevalidate}, stale-if-error=86400`;

const expectCacheable = (response: ApiResponse, cacheControl: string, cacheTag: string) => {
  expect(response.status).toBe(200);
  expect({
    cacheControl: response.headers.get("cache-control"),
    cacheTag: response.headers.get("cache-tag"),
    vary: response.headers.get("vary"),
  }).toEqual({ cacheControl, cacheTag, vary: expect.stringMatching(/(^|, *)Authorization(,|$)/i) });
};

const expectPrivate = (response: ApiResponse) => {
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  expect(response.headers.get("cache-tag")).toBeNull();
};

describe("anonymous reads are cacheable by shared caches", () => {
  it("an article list carries the lists tag and each article's and author's tags", async () => {
    const author = await registerUser();
    const older = await createArticle(author.token);
    const newer = await createArticle(author.token);
    expectCacheable(
      await api("GET", `/api/articles?author=${author.username}`),
      publicCacheControl(10, 60),
      `articles,article:${newer.slug},profile:${author.username},article:${older.slug}`,
    );
  });

  it("a favorited= list also carries that user's favorites tag", async () => {
    const [author, fan] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    await api("POST", `/api/articles/${created.slug}/favorite`, { token: fan.token });
    expectCacheable(
      await api("GET", `/api/articles?favorited=${fan.username}`),
      publicCacheControl(10, 60),
      `articles,favorites:${fan.username},article:${created.slug},profile:${author.username}`,
    );
  });

  it("a single article carries its own tag and its author's", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    expectCacheable(
      await api("GET", `/api/articles/${created.slug}`),
      publicCacheControl(60, 300),
      `article:${created.slug},profile:${author.username}`,
    );
  });

  it("a profile carries its profile tag", async () => {
    const user = await registerUser();
    expectCacheable(
      await api("GET", `/api/profiles/${user.username}`),
      publicCacheControl(60, 300),
      `profile:${user.username}`,
    );
  });

  it("a comment list carries the article's comments tag and each commenter's profile tag", async () => {
    const [author, commenter] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    await api("POST", `/api/articles/${created.slug}/comments`, {
      token: commenter.token,
      body: { comment: { body: "x" } },
    });
    expectCacheable(
      await api("GET", `/api/articles/${created.slug}/comments`),
      publicCacheControl(30, 120),
      `comments:${created.slug},profile:${commenter.username}`,
    );
  });

  it("the tag list carries the tags tag", async () => {
    expectCacheable(await api("GET", "/api/tags"), publicCacheControl(60, 600), "tags");
  });

  it("tags are percent-encoded: unicode slugs and commas in usernames stay unambiguous", async () => {
    const username = unique("a,b ");
    const registered = await api("POST", "/api/users", {
      body: { user: { username, email: `${unique("c")}@example.test`, password: "long enough" } },
    });
    const created = await createArticle(registered.body.user.token, { title: `日本 ${unique("")}` });
    const response = await api("GET", `/api/articles/${encodeURIComponent(created.slug)}`);
    expect(response.headers.get("cache-tag")).toBe(
      `article:${encodeURIComponent(created.slug)},profile:${encodeURIComponent(username)}`,
    );
    expect(parseTags(response.headers.get("cache-tag"))).toEqual([`article:${created.slug}`, `profile:${username}`]);
  });
});

describe("authenticated reads are private", () => {
  it.each([
    ["GET /api/articles", (slug: string, _user: string) => `/api/articles?tag=${slug}`],
    ["GET /api/articles/:slug", (slug: string, _user: string) => `/api/articles/${slug}`],
    ["GET /api/articles/:slug/comments", (slug: string, _user: string) => `/api/articles/${slug}/comments`],
    ["GET /api/profiles/:username", (_slug: string, user: string) => `/api/profiles/${user}`],
  ])("%s with a token: private, no-store, no cache tag, still Vary: Authorization", async (_name, path) => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("GET", path(created.slug, author.username), { token: author.token });
    expect(response.status).toBe(200);
    expectPrivate(response);
    expect(response.headers.get("vary")).toMatch(/Authorization/i);
  });

  it.each(["/api/user", "/api/articles/feed"])("GET %s is private, no-store", async (path) => {
    const user = await registerUser();
    expectPrivate(await api("GET", path, { token: user.token }));
  });
});

describe("successful writes name the tags to purge", () => {
  it("register purges the new username's profile", async () => {
    const username = unique("fresh");
    const response = await api("POST", "/api/users", {
      body: { user: { username, email: `${username}@example.test`, password: "long enough" } },
    });
    expectPrivate(response);
    expect(response.headers.get("x-purge-tags")).toBe(`profile:${username}`);
  });

  it("login purges nothing", async () => {
    const user = await registerUser();
    const response = await api("POST", "/api/users/login", {
      body: { user: { email: user.email, password: user.password } },
    });
    expect(response.status).toBe(200);
    expectPrivate(response);
    expect(response.headers.get("x-purge-tags")).toBeNull();
  });

  it("a rename purges the old and the new username's profile and the lists keyed by username", async () => {
    const user = await registerUser();
    const username = unique("renamed");
    const response = await api("PUT", "/api/user", { token: user.token, body: { user: { username } } });
    expect(response.headers.get("x-purge-tags")).toBe(`profile:${user.username},profile:${username},articles`);
  });

  it("a bio change purges only the profile", async () => {
    const user = await registerUser();
    const response = await api("PUT", "/api/user", { token: user.token, body: { user: { bio: "new bio" } } });
    expect(response.headers.get("x-purge-tags")).toBe(`profile:${user.username}`);
  });

  it("creating an article purges the lists and the tags", async () => {
    const author = await registerUser();
    const response = await api("POST", "/api/articles", {
      token: author.token,
      body: { article: { title: unique("t"), description: "d", body: "b" } },
    });
    expect(response.status).toBe(201);
    expectPrivate(response);
    expect(response.headers.get("x-purge-tags")).toBe("articles,tags");
  });

  it("editing only the body purges only the article", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("PUT", `/api/articles/${created.slug}`, {
      token: author.token,
      body: { article: { body: "new" } },
    });
    expect(response.headers.get("x-purge-tags")).toBe(`article:${created.slug}`);
  });

  it("retitling purges the old and new article and the lists", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("PUT", `/api/articles/${created.slug}`, {
      token: author.token,
      body: { article: { title: unique("Other ") } },
    });
    const tags = parseTags(response.headers.get("x-purge-tags"));
    expect(tags).toEqual(
      expect.arrayContaining([`article:${created.slug}`, `article:${response.body.article.slug}`, "articles"]),
    );
  });

  it("retagging purges the article, the lists and the tags", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("PUT", `/api/articles/${created.slug}`, {
      token: author.token,
      body: { article: { tagList: ["x"] } },
    });
    expect(response.headers.get("x-purge-tags")).toBe(`article:${created.slug},articles,tags`);
  });

  it("deleting an article purges the lists, the article, its comments and the tags", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("DELETE", `/api/articles/${created.slug}`, { token: author.token });
    expect(response.status).toBe(204);
    expectPrivate(response);
    expect(response.headers.get("x-purge-tags")).toBe(`articles,article:${created.slug},comments:${created.slug},tags`);
  });

  it.each(["POST", "DELETE"])("%s favorite purges the article and the actor's favorites", async (method) => {
    const [author, fan] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    const response = await api(method, `/api/articles/${created.slug}/favorite`, { token: fan.token });
    expect(response.headers.get("x-purge-tags")).toBe(`article:${created.slug},favorites:${fan.username}`);
  });

  it("creating and deleting a comment purge the article's comments", async () => {
    const [author, commenter] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    const comment = await api("POST", `/api/articles/${created.slug}/comments`, {
      token: commenter.token,
      body: { comment: { body: "x" } },
    });
    expect(comment.headers.get("x-purge-tags")).toBe(`comments:${created.slug}`);
    const removed = await api("DELETE", `/api/articles/${created.slug}/comments/${comment.body.comment.id}`, {
      token: commenter.token,
    });
    expect(removed.headers.get("x-purge-tags")).toBe(`comments:${created.slug}`);
  });

  it("a unicode slug is percent-encoded in the purge header", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token, { title: `Ωμέγα ${unique("")}` });
    const response = await api("DELETE", `/api/articles/${encodeURIComponent(created.slug)}`, { token: author.token });
    const encoded = encodeURIComponent(created.slug);
    expect(response.headers.get("x-purge-tags")).toBe(`articles,article:${encoded},comments:${encoded},tags`);
  });

  it("failed writes purge nothing", async () => {
    const [author, other] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    const forbidden = await api("DELETE", `/api/articles/${created.slug}`, { token: other.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("x-purge-tags")).toBeNull();
    const invalid = await api("POST", "/api/articles", { token: author.token, body: { article: {} } });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("x-purge-tags")).toBeNull();
  });
});

/**
 * The behaviour behind the headers: whatever an anonymous read cached, a write that changes
 * that read's content must purge one of the tags it was cached under.
 */
const expectPurgeCovers = (cached: ApiResponse, write: ApiResponse) => {
  expect(write.status).toBeLessThan(300);
  const cachedUnder = parseTags(cached.headers.get("cache-tag"));
  const purged = parseTags(write.headers.get("x-purge-tags"));
  expect(
    cachedUnder.filter((tag) => purged.includes(tag)),
    `cached under [${cachedUnder}], purged [${purged}]`,
  ).not.toEqual([]);
};

describe("every write purges the cached reads it changes", () => {
  it("a new article by an author purges that author's cached list", async () => {
    const author = await registerUser();
    await createArticle(author.token);
    const cached = await anonymousRead(`/api/articles?author=${author.username}`);
    const write = await api("POST", "/api/articles", {
      token: author.token,
      body: { article: { title: unique("t"), description: "d", body: "b" } },
    });
    expectPurgeCovers(cached, write);
  });

  it("a bio change purges the author's cached articles", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const cached = await anonymousRead(`/api/articles/${created.slug}`);
    expectPurgeCovers(cached, await api("PUT", "/api/user", { token: author.token, body: { user: { bio: "new" } } }));
  });

  it("a favorite purges the cached favorited= list of the user who favorited", async () => {
    const [author, fan] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    const cached = await anonymousRead(`/api/articles?favorited=${fan.username}`);
    expectPurgeCovers(cached, await api("POST", `/api/articles/${created.slug}/favorite`, { token: fan.token }));
  });

  it("a retag purges a cached, still empty list of the new tag", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const tag = unique("later");
    const cached = await anonymousRead(`/api/articles?tag=${tag}`);
    const write = await api("PUT", `/api/articles/${created.slug}`, {
      token: author.token,
      body: { article: { tagList: [tag] } },
    });
    expectPurgeCovers(cached, write);
  });

  it("a new comment purges the cached comment list", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const cached = await anonymousRead(`/api/articles/${created.slug}/comments`);
    const write = await api("POST", `/api/articles/${created.slug}/comments`, {
      token: author.token,
      body: { comment: { body: "x" } },
    });
    expectPurgeCovers(cached, write);
  });

  it("deleting an article purges the cached tag list", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token, { tagList: [unique("gone")] });
    const cached = await anonymousRead("/api/tags");
    expectPurgeCovers(cached, await api("DELETE", `/api/articles/${created.slug}`, { token: author.token }));
  });

  it("retitling purges the cached comment list under the old slug, which is now 404", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    await api("POST", `/api/articles/${created.slug}/comments`, {
      token: author.token,
      body: { comment: { body: "x" } },
    });
    const cached = await anonymousRead(`/api/articles/${created.slug}/comments`);
    const write = await api("PUT", `/api/articles/${created.slug}`, {
      token: author.token,
      body: { article: { title: unique("Renamed ") } },
    });
    expect((await api("GET", `/api/articles/${created.slug}/comments`)).status).toBe(404);
    expectPurgeCovers(cached, write);
  });

  it("a rename purges the cached favorited= list under the old username, which is now empty", async () => {
    const [author, fan] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    await api("POST", `/api/articles/${created.slug}/favorite`, { token: fan.token });
    const cached = await anonymousRead(`/api/articles?favorited=${fan.username}`);
    const write = await api("PUT", "/api/user", { token: fan.token, body: { user: { username: unique("fan") } } });
    expect((await api("GET", `/api/articles?favorited=${fan.username}`)).body.articlesCount).toBe(0);
    expectPurgeCovers(cached, write);
  });

  it("a rename purges a cached, empty author= list under the new username", async () => {
    const author = await registerUser();
    await createArticle(author.token);
    const username = unique("newname");
    const cached = await anonymousRead(`/api/articles?author=${username}`);
    const write = await api("PUT", "/api/user", { token: author.token, body: { user: { username } } });
    expect((await api("GET", `/api/articles?author=${username}`)).body.articlesCount).toBe(1);
    expectPurgeCovers(cached, write);
  });
});
