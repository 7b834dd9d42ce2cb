import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser, unique } from "../support/api-client.ts";
import { expectError, expectJson, isoTimestamp, profileOf, sqlInjectionStrings } from "./fixtures.ts";

const validArticle = () => ({ title: unique("Article "), description: "About it", body: "The text", tagList: [] });

const create = (token: string, article: unknown) => api("POST", "/api/articles", { token, body: { article } });
const update = (token: string, slug: string, article: unknown) =>
  api("PUT", `/api/articles/${encodeURIComponent(slug)}`, { token, body: { article } });

describe("POST /api/articles", () => {
  it("creates the article: 201 with every field, the body included", async () => {
    const author = await registerUser();
    const article = { title: unique("Dragons "), description: "How to", body: "Carefully", tagList: ["x", "y"] };
    const response = await create(author.token, article);
    expect(response.status).toBe(201);
    expectJson(response);
    expect(response.body).toEqual({
      article: {
        slug: article.title.toLowerCase().replace(" ", "-"),
        title: article.title,
        description: "How to",
        body: "Carefully",
        tagList: ["x", "y"],
        createdAt: expect.stringMatching(isoTimestamp),
        updatedAt: expect.stringMatching(isoTimestamp),
        favorited: false,
        favoritesCount: 0,
        author: profileOf(author),
      },
    });
    expect(response.body.article.updatedAt).toBe(response.body.article.createdAt);
  });

  it("defaults tagList to [] when it is left out", async () => {
    const author = await registerUser();
    const { tagList: _, ...article } = validArticle();
    const response = await create(author.token, article);
    expect(response.status).toBe(201);
    expect(response.body.article.tagList).toEqual([]);
  });

  it("keeps the tag order given and drops repeated tags", async () => {
    const author = await registerUser();
    const response = await create(author.token, {
      ...validArticle(),
      tagList: ["zeta", "alpha", "zeta", "mu", "alpha"],
    });
    expect(response.body.article.tagList).toEqual(["zeta", "alpha", "mu"]);
    const read = await api("GET", `/api/articles/${response.body.article.slug}`);
    expect(read.body.article.tagList).toEqual(["zeta", "alpha", "mu"]);
  });

  it("stores trimmed text", async () => {
    const author = await registerUser();
    const title = unique("Padded ");
    const response = await create(author.token, { title: `  ${title}  `, description: " d ", body: "\tb\n" });
    expect(response.body.article).toMatchObject({ title, description: "d", body: "b" });
  });

  it("stores SQL-shaped title, description, body and tags verbatim", async () => {
    const author = await registerUser();
    for (const text of sqlInjectionStrings) {
      const response = await create(author.token, { title: text, description: text, body: text, tagList: [text] });
      expect(response.status).toBe(201);
      expect(response.body.article).toMatchObject({ title: text, description: text, body: text, tagList: [text] });
      const read = await api("GET", `/api/articles/${encodeURIComponent(response.body.article.slug)}`);
      expect(read.body.article).toMatchObject({ title: text, description: text, body: text, tagList: [text] });
    }
    expect((await api("GET", `/api/profiles/${author.username}`)).status).toBe(200);
  });

  it("accepts 20 tags", async () => {
    const author = await registerUser();
    const tagList = Array.from({ length: 20 }, (_, index) => `t${index}`);
    expect((await create(author.token, { ...validArticle(), tagList })).body.article.tagList).toEqual(tagList);
  });

  const base = { title: "A title", description: "A description", body: "A body" };
  it.each([
    [
      "every field missing",
      {},
      { title: ["can't be blank"], description: ["can't be blank"], body: ["can't be blank"] },
    ],
    ["title missing", { description: "d", body: "b" }, { title: ["can't be blank"] }],
    ["description missing", { title: "t", body: "b" }, { description: ["can't be blank"] }],
    ["body missing", { title: "t", description: "d" }, { body: ["can't be blank"] }],
    ["blank title", { ...base, title: "" }, { title: ["can't be blank"] }],
    ["whitespace-only title", { ...base, title: " \t\n " }, { title: ["can't be blank"] }],
    ["whitespace-only body", { ...base, body: "   " }, { body: ["can't be blank"] }],
    ["null title", { ...base, title: null }, { title: ["can't be blank"] }],
    ["null tagList", { ...base, tagList: null }, { tagList: ["can't be blank"] }],
    ["number for title", { ...base, title: 42 }, { title: ["must be a string"] }],
    ["string for tagList", { ...base, tagList: "a,b" }, { tagList: ["must be an array of strings"] }],
    ["number inside tagList", { ...base, tagList: ["ok", 1] }, { tagList: ["must be a string"] }],
    ["blank tag", { ...base, tagList: ["ok", " "] }, { tagList: ["can't be blank"] }],
    [
      "21 tags",
      { ...base, tagList: Array.from({ length: 21 }, (_, index) => `t${index}`) },
      { tagList: ["may hold at most 20 tags"] },
    ],
    ["over-long tag", { ...base, tagList: ["t".repeat(65)] }, { tagList: ["is too long (maximum is 64 characters)"] }],
    ["over-long title", { ...base, title: "t".repeat(257) }, { title: ["is too long (maximum is 256 characters)"] }],
    [
      "over-long description",
      { ...base, description: "d".repeat(1_025) },
      { description: ["is too long (maximum is 1024 characters)"] },
    ],
    [
      "over-long body",
      { ...base, body: "b".repeat(100_001) },
      { body: ["is too long (maximum is 100000 characters)"] },
    ],
    ["an array for the article", [], { article: ["must be an object"] }],
    ["null for the article", null, { article: ["can't be blank"] }],
  ])("rejects %s with 422", async (_case, article, errors) => {
    const author = await registerUser();
    expectError(await create(author.token, article), 422, errors);
  });

  it("rejects a body without the article wrapper with 422", async () => {
    const author = await registerUser();
    const response = await api("POST", "/api/articles", { token: author.token, body: validArticle() });
    expectError(response, 422, { article: ["can't be blank"] });
  });

  it("rejects an empty object body with 422", async () => {
    const author = await registerUser();
    expectError(await api("POST", "/api/articles", { token: author.token, body: {} }), 422, {
      article: ["can't be blank"],
    });
  });

  it("requires a token, even when the body is invalid (401 wins over 422)", async () => {
    expectError(await api("POST", "/api/articles", { body: { article: validArticle() } }), 401, {
      token: ["is missing"],
    });
    expectError(await api("POST", "/api/articles", { body: { article: { title: 1 } } }), 401, {
      token: ["is missing"],
    });
  });
});

describe("GET /api/articles/:slug", () => {
  it("returns the article with its body to anonymous readers", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token, { body: "Full text", tagList: ["a"] });
    const response = await api("GET", `/api/articles/${created.slug}`);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body).toEqual({ article: created });
  });

  it("answers 404 article not found for an unknown slug", async () => {
    expectError(await api("GET", `/api/articles/${unique("no-such-article-")}`), 404, { article: ["not found"] });
  });

  it("answers 401 for an invalid token even though the read is public", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    expectError(await api("GET", `/api/articles/${created.slug}`, { token: "garbage" }), 401, { token: ["invalid"] });
  });
});

describe("PUT /api/articles/:slug", () => {
  it("updating the body keeps the slug and moves updatedAt forward", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await update(author.token, created.slug, { body: "Rewritten" });
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body.article).toEqual({
      ...created,
      body: "Rewritten",
      updatedAt: expect.stringMatching(isoTimestamp),
    });
    expect(Date.parse(response.body.article.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.createdAt as string));
    expect((await api("GET", `/api/articles/${created.slug}`)).body.article.body).toBe("Rewritten");
  });

  it("updating the title changes the slug: the old slug is 404, the new one serves the article", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const title = unique("Brand New ");
    const response = await update(author.token, created.slug, { title });
    expect(response.status).toBe(200);
    const slug = response.body.article.slug;
    expect(slug).toBe(title.toLowerCase().replaceAll(" ", "-"));
    expect(response.body.article.title).toBe(title);
    expectError(await api("GET", `/api/articles/${created.slug}`), 404, { article: ["not found"] });
    expect((await api("GET", `/api/articles/${slug}`)).body.article).toMatchObject({ title, body: created.body });
  });

  it("updating the description alone keeps title, body, tags and slug", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token, { tagList: ["keep"] });
    const response = await update(author.token, created.slug, { description: "New description" });
    expect(response.body.article).toMatchObject({
      slug: created.slug,
      title: created.title,
      body: created.body,
      tagList: ["keep"],
      description: "New description",
    });
  });

  it("an update without tagList keeps the tags; tagList [] removes them all", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token, { tagList: ["one", "two"] });
    expect((await update(author.token, created.slug, { body: "x" })).body.article.tagList).toEqual(["one", "two"]);
    expect((await update(author.token, created.slug, { tagList: [] })).body.article.tagList).toEqual([]);
    expect((await api("GET", `/api/articles/${created.slug}`)).body.article.tagList).toEqual([]);
  });

  it("a new tagList replaces the old one, order kept and repeats dropped", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token, { tagList: ["one"] });
    const response = await update(author.token, created.slug, { tagList: ["c", "a", "c", "b"] });
    expect(response.body.article.tagList).toEqual(["c", "a", "b"]);
  });

  it.each([
    ["null title", { title: null }, { title: ["can't be blank"] }],
    ["blank title", { title: "" }, { title: ["can't be blank"] }],
    ["whitespace-only body", { body: "  " }, { body: ["can't be blank"] }],
    ["null tagList", { tagList: null }, { tagList: ["can't be blank"] }],
    ["number for title", { title: 7 }, { title: ["must be a string"] }],
    ["string for tagList", { tagList: "x" }, { tagList: ["must be an array of strings"] }],
    ["over-long title", { title: "t".repeat(257) }, { title: ["is too long (maximum is 256 characters)"] }],
  ])("rejects %s with 422 and changes nothing", async (_case, changes, errors) => {
    const author = await registerUser();
    const created = await createArticle(author.token, { tagList: ["kept"] });
    expectError(await update(author.token, created.slug, changes), 422, errors);
    expect((await api("GET", `/api/articles/${created.slug}`)).body).toEqual({ article: created });
  });

  it("rejects a body without the article wrapper with 422", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("PUT", `/api/articles/${created.slug}`, { token: author.token, body: { title: "x" } });
    expectError(response, 422, { article: ["can't be blank"] });
  });

  it("answers 403 article forbidden when editing someone else's article, and changes nothing", async () => {
    const [author, other] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    expectError(await update(other.token, created.slug, { body: "hijacked" }), 403, { article: ["forbidden"] });
    expect((await api("GET", `/api/articles/${created.slug}`)).body.article.body).toBe(created.body);
  });

  it("answers 404 for an unknown slug", async () => {
    const author = await registerUser();
    expectError(await update(author.token, unique("missing-"), { body: "x" }), 404, { article: ["not found"] });
  });

  it("requires a token: 401 wins over 404 and over 422", async () => {
    const unknown = unique("missing-");
    expectError(await api("PUT", `/api/articles/${unknown}`, { body: { article: { body: "x" } } }), 401, {
      token: ["is missing"],
    });
    expectError(await api("PUT", `/api/articles/${unknown}`, { body: { article: { title: null } } }), 401, {
      token: ["is missing"],
    });
  });
});

describe("DELETE /api/articles/:slug", () => {
  it("answers 204 with an empty body, then the article is 404", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("DELETE", `/api/articles/${created.slug}`, { token: author.token });
    expect(response.status).toBe(204);
    expect(response.body).toBe("");
    expectError(await api("GET", `/api/articles/${created.slug}`), 404, { article: ["not found"] });
    expectError(await api("GET", `/api/articles/${created.slug}/comments`), 404, { article: ["not found"] });
  });

  it("deleting twice answers 404 the second time", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    await api("DELETE", `/api/articles/${created.slug}`, { token: author.token });
    expectError(await api("DELETE", `/api/articles/${created.slug}`, { token: author.token }), 404, {
      article: ["not found"],
    });
  });

  it("removes the article from its author's list", async () => {
    const author = await registerUser();
    const [kept, gone] = [await createArticle(author.token), await createArticle(author.token)];
    await api("DELETE", `/api/articles/${gone.slug}`, { token: author.token });
    const list = await api("GET", `/api/articles?author=${author.username}`);
    expect(list.body.articles.map((item: any) => item.slug)).toEqual([kept.slug]);
    expect(list.body.articlesCount).toBe(1);
  });

  it("answers 403 article forbidden for someone else's article, which stays", async () => {
    const [author, other] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    expectError(await api("DELETE", `/api/articles/${created.slug}`, { token: other.token }), 403, {
      article: ["forbidden"],
    });
    expect((await api("GET", `/api/articles/${created.slug}`)).status).toBe(200);
  });

  it("answers 404 for an unknown slug and 401 without a token (401 wins)", async () => {
    const author = await registerUser();
    const unknown = unique("missing-");
    expectError(await api("DELETE", `/api/articles/${unknown}`, { token: author.token }), 404, {
      article: ["not found"],
    });
    expectError(await api("DELETE", `/api/articles/${unknown}`), 401, { token: ["is missing"] });
  });
});
