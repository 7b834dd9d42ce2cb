import { beforeAll, describe, expect, it } from "vitest";
import { api, createArticle, type RegisteredUser, registerUser, unique } from "../support/api-client.ts";
import { expectError, expectJson, expectListItemShape, sqlInjectionStrings } from "./fixtures.ts";

type Article = Awaited<ReturnType<typeof createArticle>>;

const list = (query: string, token?: string) => api("GET", `/api/articles?${query}`, token ? { token } : {});
const slugsOf = (body: { articles: { slug: string }[] }) => body.articles.map((article) => article.slug);

/**
 * One author with three articles (oldest first in `articles`), a second author with one,
 * a tag shared by some of them, and a reader who favorites some.
 */
let author: RegisteredUser;
let otherAuthor: RegisteredUser;
let reader: RegisteredUser;
let tag: string;
let articles: Article[];
let otherArticle: Article;

beforeAll(async () => {
  [author, otherAuthor, reader] = await Promise.all([registerUser(), registerUser(), registerUser()]);
  tag = unique("tag");
  articles = [];
  articles.push(await createArticle(author.token, { tagList: [tag] }));
  articles.push(await createArticle(author.token, { tagList: ["other"] }));
  articles.push(await createArticle(author.token, { tagList: [tag, "other"] }));
  otherArticle = await createArticle(otherAuthor.token, { tagList: [tag] });
  for (const slug of [articles[0]!.slug, otherArticle.slug]) {
    await api("POST", `/api/articles/${slug}/favorite`, { token: reader.token });
  }
});

describe("GET /api/articles", () => {
  it("lists an author's articles newest first, items without body", async () => {
    const response = await list(`author=${author.username}`);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(slugsOf(response.body)).toEqual(articles.map((article) => article.slug).reverse());
    expect(response.body.articlesCount).toBe(3);
    for (const item of response.body.articles) expectListItemShape(item);
    const { body: _, ...newest } = articles[2]!;
    expect(response.body.articles[0]).toEqual(newest);
  });

  it("articlesCount is the total, not the page length", async () => {
    const firstPage = await list(`author=${author.username}&limit=2`);
    expect(slugsOf(firstPage.body)).toEqual([articles[2]!.slug, articles[1]!.slug]);
    expect(firstPage.body.articlesCount).toBe(3);
    const lastPage = await list(`author=${author.username}&limit=2&offset=2`);
    expect(slugsOf(lastPage.body)).toEqual([articles[0]!.slug]);
    expect(lastPage.body.articlesCount).toBe(3);
  });

  it("an offset past the end gives an empty page with the full count", async () => {
    const response = await list(`author=${author.username}&offset=3`);
    expect(response.body).toEqual({ articles: [], articlesCount: 3 });
  });

  it("filters by tag across authors, newest first", async () => {
    const response = await list(`tag=${tag}`);
    expect(slugsOf(response.body)).toEqual([otherArticle.slug, articles[2]!.slug, articles[0]!.slug]);
    expect(response.body.articlesCount).toBe(3);
  });

  it("filters by the user who favorited", async () => {
    const response = await list(`favorited=${reader.username}`);
    expect(slugsOf(response.body)).toEqual([otherArticle.slug, articles[0]!.slug]);
    expect(response.body.articlesCount).toBe(2);
  });

  it("combines tag and author", async () => {
    const response = await list(`tag=${tag}&author=${author.username}`);
    expect(slugsOf(response.body)).toEqual([articles[2]!.slug, articles[0]!.slug]);
    expect(response.body.articlesCount).toBe(2);
  });

  it("combines author and favorited", async () => {
    const response = await list(`author=${otherAuthor.username}&favorited=${reader.username}`);
    expect(slugsOf(response.body)).toEqual([otherArticle.slug]);
    expect(response.body.articlesCount).toBe(1);
  });

  it("combines all three filters", async () => {
    const response = await list(`tag=${tag}&author=${author.username}&favorited=${reader.username}`);
    expect(slugsOf(response.body)).toEqual([articles[0]!.slug]);
    expect(response.body.articlesCount).toBe(1);
    const none = await list(`tag=other&author=${author.username}&favorited=${reader.username}`);
    expect(none.body).toEqual({ articles: [], articlesCount: 0 });
  });

  it.each([
    ["an unknown author", () => `author=${unique("nobody")}`],
    ["an unknown tag", () => `tag=${unique("nothing")}`],
    ["an unknown favoriting user", () => `favorited=${unique("nobody")}`],
  ])("gives an empty list with count 0 for %s", async (_case, query) => {
    const response = await list(query());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ articles: [], articlesCount: 0 });
  });

  it("optional auth changes only favorited and following, never the items", async () => {
    await api("POST", `/api/profiles/${author.username}/follow`, { token: reader.token });
    const anonymous = await list(`tag=${tag}`);
    const personal = await list(`tag=${tag}`, reader.token);
    expect(slugsOf(personal.body)).toEqual(slugsOf(anonymous.body));
    expect(personal.body.articlesCount).toBe(anonymous.body.articlesCount);
    const flags = (body: any) =>
      body.articles.map((item: any) => [item.slug, item.favorited, item.author.following, item.favoritesCount]);
    expect(flags(anonymous.body)).toEqual([
      [otherArticle.slug, false, false, 1],
      [articles[2]!.slug, false, false, 0],
      [articles[0]!.slug, false, false, 1],
    ]);
    expect(flags(personal.body)).toEqual([
      [otherArticle.slug, true, false, 1],
      [articles[2]!.slug, false, true, 0],
      [articles[0]!.slug, true, true, 1],
    ]);
  });

  it("finds an article by an SQL-shaped tag, treated as plain text", async () => {
    const writer = await registerUser();
    for (const text of sqlInjectionStrings) {
      const created = await createArticle(writer.token, { tagList: [text] });
      const response = await list(`tag=${encodeURIComponent(text)}&author=${writer.username}`);
      expect(slugsOf(response.body)).toEqual([created.slug]);
      expect(response.body.articlesCount).toBe(1);
    }
    const everything = await list(`author=${writer.username}`);
    expect(everything.body.articlesCount).toBe(2);
  });

  it("answers 401 for an invalid token even though the read is public", async () => {
    expectError(await list(`author=${author.username}`, "not.a.token"), 401, { token: ["invalid"] });
  });
});

describe("pagination bounds", () => {
  it("accepts limit 1 and limit 100, and offset 1000000 gives an empty page", async () => {
    expect(slugsOf((await list(`author=${author.username}&limit=1`)).body)).toEqual([articles[2]!.slug]);
    expect((await list(`author=${author.username}&limit=100`)).body.articlesCount).toBe(3);
    const deep = await list(`author=${author.username}&offset=1000000`);
    expect(deep.status).toBe(200);
    expect(deep.body).toEqual({ articles: [], articlesCount: 3 });
  });

  it("defaults to 20 items", async () => {
    const prolific = await registerUser();
    for (let index = 0; index < 21; index++) await createArticle(prolific.token);
    const response = await list(`author=${prolific.username}`);
    expect(response.body.articles).toHaveLength(20);
    expect(response.body.articlesCount).toBe(21);
  });

  const limitError = { limit: ["must be between 1 and 100"] };
  const offsetError = { offset: ["must be between 0 and 1000000"] };
  it.each([
    ["limit=0", limitError],
    ["limit=-1", limitError],
    ["limit=101", limitError],
    ["limit=abc", limitError],
    ["limit=1.5", limitError],
    ["limit=1e2", limitError],
    ["limit=99999999999999999999999999", limitError],
    ["offset=-1", offsetError],
    ["offset=abc", offsetError],
    ["offset=1000001", offsetError],
    ["offset=0.5", offsetError],
  ])("rejects %s with 422", async (query, errors) => {
    expectError(await list(query), 422, errors);
  });

  it("reports limit and offset together", async () => {
    expectError(await list("limit=0&offset=-1"), 422, { ...limitError, ...offsetError });
  });

  it.each(["tag", "author", "favorited"])("rejects a blank %s filter with 422", async (name) => {
    expectError(await list(`${name}=`), 422, { [name]: ["can't be blank"] });
  });
});
