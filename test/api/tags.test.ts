import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser, unique } from "../support/api-client.ts";
import { expectJson } from "./fixtures.ts";

const tagsInUse = async (): Promise<string[]> => {
  const response = await api("GET", "/api/tags");
  expect(response.status).toBe(200);
  return response.body.tags;
};

describe("GET /api/tags", () => {
  it("answers {tags: string[]} as JSON", async () => {
    const response = await api("GET", "/api/tags");
    expect(response.status).toBe(200);
    expectJson(response);
    expect(Object.keys(response.body)).toEqual(["tags"]);
    expect(response.body.tags.every((tag: unknown) => typeof tag === "string")).toBe(true);
    expect(new Set(response.body.tags).size).toBe(response.body.tags.length);
  });

  it("contains a newly used tag once, however many articles use it", async () => {
    const author = await registerUser();
    const tag = unique("fresh");
    expect(await tagsInUse()).not.toContain(tag);
    await createArticle(author.token, { tagList: [tag] });
    await createArticle(author.token, { tagList: [tag] });
    expect((await tagsInUse()).filter((name) => name === tag)).toEqual([tag]);
  });

  it("drops a tag once its only article is deleted", async () => {
    const author = await registerUser();
    const tag = unique("doomed");
    const created = await createArticle(author.token, { tagList: [tag] });
    expect(await tagsInUse()).toContain(tag);
    expect((await api("DELETE", `/api/articles/${created.slug}`, { token: author.token })).status).toBe(204);
    expect(await tagsInUse()).not.toContain(tag);
  });

  it("keeps a tag while another article still uses it", async () => {
    const author = await registerUser();
    const tag = unique("shared");
    const first = await createArticle(author.token, { tagList: [tag] });
    const second = await createArticle(author.token, { tagList: [tag] });
    await api("DELETE", `/api/articles/${first.slug}`, { token: author.token });
    expect(await tagsInUse()).toContain(tag);
    await api("DELETE", `/api/articles/${second.slug}`, { token: author.token });
    expect(await tagsInUse()).not.toContain(tag);
  });

  it("follows tag edits: removed tags disappear, added ones appear", async () => {
    const author = await registerUser();
    const [before, after] = [unique("before"), unique("after")];
    const created = await createArticle(author.token, { tagList: [before] });
    await api("PUT", `/api/articles/${created.slug}`, { token: author.token, body: { article: { tagList: [after] } } });
    const tags = await tagsInUse();
    expect(tags).toContain(after);
    expect(tags).not.toContain(before);
    await api("PUT", `/api/articles/${created.slug}`, { token: author.token, body: { article: { tagList: [] } } });
    expect(await tagsInUse()).not.toContain(after);
  });

  it("a repeated tag in one article counts once", async () => {
    const author = await registerUser();
    const tag = unique("twice");
    const created = await createArticle(author.token, { tagList: [tag, tag] });
    await api("DELETE", `/api/articles/${created.slug}`, { token: author.token });
    expect(await tagsInUse()).not.toContain(tag);
  });

  it("lists the more used of two tags first", async () => {
    const author = await registerUser();
    const [popular, rare] = [unique("popular"), unique("rare")];
    for (let index = 0; index < 3; index++) await createArticle(author.token, { tagList: [popular] });
    await createArticle(author.token, { tagList: [rare] });
    const tags = await tagsInUse();
    expect(tags.indexOf(popular)).toBeGreaterThanOrEqual(0);
    expect(tags.indexOf(popular)).toBeLessThan(tags.indexOf(rare));
  });

  it("ignores the Authorization header (the route needs no auth)", async () => {
    expect((await api("GET", "/api/tags", { token: "garbage" })).status).toBe(200);
  });
});
