import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser, unique } from "../support/api-client.ts";
import { expectError, expectJson, isoTimestamp, profileOf, sqlInjectionStrings } from "./fixtures.ts";

const comment = (token: string, slug: string, body: unknown) =>
  api("POST", `/api/articles/${slug}/comments`, { token, body: { comment: { body } } });
const comments = (slug: string, token?: string) => api("GET", `/api/articles/${slug}/comments`, token ? { token } : {});
const remove = (token: string, slug: string, id: number | string) =>
  api("DELETE", `/api/articles/${slug}/comments/${id}`, { token });

const setup = async () => {
  const [author, commenter] = await Promise.all([registerUser(), registerUser()]);
  const article = await createArticle(author.token);
  return { author, commenter, article };
};

describe("comments", () => {
  it("creating answers 201 with an integer id, timestamps, body and author", async () => {
    const { commenter, article } = await setup();
    const response = await comment(commenter.token, article.slug, "Nice one");
    expect(response.status).toBe(201);
    expectJson(response);
    expect(response.body).toEqual({
      comment: {
        id: expect.any(Number),
        createdAt: expect.stringMatching(isoTimestamp),
        updatedAt: expect.stringMatching(isoTimestamp),
        body: "Nice one",
        author: profileOf(commenter),
      },
    });
    expect(Number.isInteger(response.body.comment.id)).toBe(true);
  });

  it("lists comments oldest first, the same every time", async () => {
    const { author, commenter, article } = await setup();
    const ids = [];
    for (const [token, body] of [
      [commenter.token, "first"],
      [author.token, "second"],
      [commenter.token, "third"],
    ] as const) {
      ids.push((await comment(token, article.slug, body)).body.comment.id);
    }
    const response = await comments(article.slug);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body.comments.map((c: any) => [c.id, c.body])).toEqual([
      [ids[0], "first"],
      [ids[1], "second"],
      [ids[2], "third"],
    ]);
    expect(response.body.comments[1].author).toEqual(profileOf(author));
    expect((await comments(article.slug)).body).toEqual(response.body);
  });

  it("an article without comments lists []", async () => {
    const { article } = await setup();
    expect((await comments(article.slug)).body).toEqual({ comments: [] });
  });

  it("deleting one answers 204 with an empty body and leaves the others in order", async () => {
    const { commenter, article } = await setup();
    const ids = [];
    for (const body of ["one", "two", "three"])
      ids.push((await comment(commenter.token, article.slug, body)).body.comment.id);
    const response = await remove(commenter.token, article.slug, ids[1]);
    expect(response.status).toBe(204);
    expect(response.body).toBe("");
    expect((await comments(article.slug)).body.comments.map((c: any) => c.body)).toEqual(["one", "three"]);
    expectError(await remove(commenter.token, article.slug, ids[1]), 404, { comment: ["not found"] });
  });

  it("shows following for the reader only", async () => {
    const { author, commenter, article } = await setup();
    await comment(commenter.token, article.slug, "hello");
    await api("POST", `/api/profiles/${commenter.username}/follow`, { token: author.token });
    expect((await comments(article.slug, author.token)).body.comments[0].author.following).toBe(true);
    expect((await comments(article.slug)).body.comments[0].author.following).toBe(false);
  });

  it("stores SQL-shaped bodies verbatim", async () => {
    const { commenter, article } = await setup();
    for (const body of sqlInjectionStrings)
      expect((await comment(commenter.token, article.slug, body)).status).toBe(201);
    expect((await comments(article.slug)).body.comments.map((c: any) => c.body)).toEqual(sqlInjectionStrings);
  });

  it("stores the body trimmed", async () => {
    const { commenter, article } = await setup();
    expect((await comment(commenter.token, article.slug, "  padded \n")).body.comment.body).toBe("padded");
  });

  it.each([
    ["a missing body", undefined, { body: ["can't be blank"] }],
    ["a blank body", "", { body: ["can't be blank"] }],
    ["a whitespace-only body", "  \n ", { body: ["can't be blank"] }],
    ["a null body", null, { body: ["can't be blank"] }],
    ["a number", 5, { body: ["must be a string"] }],
    ["an over-long body", "c".repeat(10_001), { body: ["is too long (maximum is 10000 characters)"] }],
  ])("rejects %s with 422", async (_case, body, errors) => {
    const { commenter, article } = await setup();
    expectError(await comment(commenter.token, article.slug, body), 422, errors);
  });

  it("rejects a body without the comment wrapper with 422", async () => {
    const { commenter, article } = await setup();
    const response = await api("POST", `/api/articles/${article.slug}/comments`, {
      token: commenter.token,
      body: { body: "unwrapped" },
    });
    expectError(response, 422, { comment: ["can't be blank"] });
  });

  it("answers 404 article not found when creating or listing on an unknown slug", async () => {
    const { commenter } = await setup();
    const unknown = unique("missing-");
    expectError(await comment(commenter.token, unknown, "x"), 404, { article: ["not found"] });
    expectError(await comments(unknown), 404, { article: ["not found"] });
  });

  it("answers 403 comment forbidden when deleting someone else's comment, even on one's own article", async () => {
    const { author, commenter, article } = await setup();
    const id = (await comment(commenter.token, article.slug, "mine")).body.comment.id;
    expectError(await remove(author.token, article.slug, id), 403, { comment: ["forbidden"] });
    expect((await comments(article.slug)).body.comments.map((c: any) => c.id)).toEqual([id]);
  });

  it("answers 404 comment not found for an unknown id", async () => {
    const { commenter, article } = await setup();
    expectError(await remove(commenter.token, article.slug, 2_000_000_000), 404, { comment: ["not found"] });
  });

  it("answers 404 comment not found for a comment of another article", async () => {
    const { author, commenter, article } = await setup();
    const other = await createArticle(author.token);
    const id = (await comment(commenter.token, article.slug, "here")).body.comment.id;
    expectError(await remove(commenter.token, other.slug, id), 404, { comment: ["not found"] });
    expect((await comments(article.slug)).body.comments).toHaveLength(1);
  });

  it("answers 404 article not found when deleting on an unknown slug", async () => {
    const { commenter } = await setup();
    expectError(await remove(commenter.token, unique("missing-"), 1), 404, { article: ["not found"] });
  });

  it.each(["abc", "1.5", "-1", "1e3"])("rejects the non-integer id %s with 422", async (id) => {
    const { commenter, article } = await setup();
    expectError(await remove(commenter.token, article.slug, id), 422, { id: ["must be a positive integer"] });
  });

  it("answers 404, not 500, for an id beyond the database's integer range", async () => {
    const { commenter, article } = await setup();
    expectError(await remove(commenter.token, article.slug, "2147483648"), 404, { comment: ["not found"] });
    expectError(await remove(commenter.token, article.slug, "999999999999999"), 404, { comment: ["not found"] });
  });

  it("requires a token to create or delete, even for unknown slugs and ids (401 wins)", async () => {
    const { commenter, article } = await setup();
    const id = (await comment(commenter.token, article.slug, "x")).body.comment.id;
    const missing = { token: ["is missing"] };
    expectError(
      await api("POST", `/api/articles/${article.slug}/comments`, { body: { comment: { body: "x" } } }),
      401,
      missing,
    );
    expectError(
      await api("POST", `/api/articles/${unique("missing-")}/comments`, { body: { comment: {} } }),
      401,
      missing,
    );
    expectError(await api("DELETE", `/api/articles/${article.slug}/comments/${id}`), 401, missing);
    expectError(await api("DELETE", `/api/articles/${unique("missing-")}/comments/abc`), 401, missing);
  });

  it("answers 401 to an invalid token on the public list", async () => {
    const { article } = await setup();
    expectError(await comments(article.slug, "x.y.z"), 401, { token: ["invalid"] });
  });
});
