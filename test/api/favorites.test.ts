import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser, unique } from "../support/api-client.ts";
import { expectError, expectJson, isoTimestamp, profileOf } from "./fixtures.ts";

const favorite = (token: string, slug: string) => api("POST", `/api/articles/${slug}/favorite`, { token });
const unfavorite = (token: string, slug: string) => api("DELETE", `/api/articles/${slug}/favorite`, { token });

describe("favorites", () => {
  it("favoriting returns the whole article with favorited true and the count up", async () => {
    const [author, reader] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    const response = await favorite(reader.token, created.slug);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body).toEqual({
      article: {
        ...created,
        updatedAt: expect.stringMatching(isoTimestamp),
        favorited: true,
        favoritesCount: 1,
        author: profileOf(author),
      },
    });
  });

  it("counts each user once: favoriting twice is not an error and keeps the count", async () => {
    const [author, first, second] = await Promise.all([registerUser(), registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    expect((await favorite(first.token, created.slug)).body.article.favoritesCount).toBe(1);
    expect((await favorite(second.token, created.slug)).body.article.favoritesCount).toBe(2);
    const again = await favorite(first.token, created.slug);
    expect(again.status).toBe(200);
    expect(again.body.article).toMatchObject({ favorited: true, favoritesCount: 2 });
    expect((await api("GET", `/api/articles/${created.slug}`)).body.article.favoritesCount).toBe(2);
  });

  it("unfavoriting returns favorited false and the count down", async () => {
    const [author, reader] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    await favorite(reader.token, created.slug);
    const response = await unfavorite(reader.token, created.slug);
    expect(response.status).toBe(200);
    expect(response.body.article).toMatchObject({ slug: created.slug, favorited: false, favoritesCount: 0 });
  });

  it("unfavoriting an article not favorited is not an error and leaves the count alone", async () => {
    const [author, fan, reader] = await Promise.all([registerUser(), registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    await favorite(fan.token, created.slug);
    const response = await unfavorite(reader.token, created.slug);
    expect(response.status).toBe(200);
    expect(response.body.article).toMatchObject({ favorited: false, favoritesCount: 1 });
    expect((await unfavorite(reader.token, created.slug)).body.article.favoritesCount).toBe(1);
  });

  it("favorited is per reader: the fan sees true, others and anonymous readers false, all the same count", async () => {
    const [author, fan, other] = await Promise.all([registerUser(), registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    await favorite(fan.token, created.slug);
    const read = (token?: string) => api("GET", `/api/articles/${created.slug}`, token ? { token } : {});
    expect((await read(fan.token)).body.article).toMatchObject({ favorited: true, favoritesCount: 1 });
    expect((await read(other.token)).body.article).toMatchObject({ favorited: false, favoritesCount: 1 });
    expect((await read()).body.article).toMatchObject({ favorited: false, favoritesCount: 1 });
  });

  it("the favorited= list follows favoriting and unfavoriting", async () => {
    const [author, fan] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    const favorites = () => api("GET", `/api/articles?favorited=${fan.username}`);
    expect((await favorites()).body).toEqual({ articles: [], articlesCount: 0 });
    await favorite(fan.token, created.slug);
    expect((await favorites()).body.articles.map((item: any) => item.slug)).toEqual([created.slug]);
    await unfavorite(fan.token, created.slug);
    expect((await favorites()).body).toEqual({ articles: [], articlesCount: 0 });
  });

  it("an author may favorite their own article", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    expect((await favorite(author.token, created.slug)).body.article).toMatchObject({
      favorited: true,
      favoritesCount: 1,
    });
  });

  it.each([
    ["POST", favorite],
    ["DELETE", unfavorite],
  ])("%s favorite answers 404 for an unknown slug", async (_method, action) => {
    const reader = await registerUser();
    expectError(await action(reader.token, unique("missing-")), 404, { article: ["not found"] });
  });

  it.each(["POST", "DELETE"])("%s favorite requires a token, even for an unknown slug (401 wins)", async (method) => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    expectError(await api(method, `/api/articles/${created.slug}/favorite`), 401, { token: ["is missing"] });
    expectError(await api(method, `/api/articles/${unique("missing-")}/favorite`), 401, { token: ["is missing"] });
  });
});
