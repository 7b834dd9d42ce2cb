import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser, unique } from "../support/api-client.ts";

const read = (slug: string) => api("GET", `/api/articles/${encodeURIComponent(slug)}`);

describe("slugs", () => {
  it("derives the slug from the title: lowercase words joined by single dashes", async () => {
    const author = await registerUser();
    const id = unique("");
    const created = await createArticle(author.token, { title: `How to Train  Your Dragon! ${id}` });
    expect(created.slug).toBe(`how-to-train-your-dragon-${id}`);
  });

  it("gives duplicate titles distinct slugs, each readable", async () => {
    const [first, second] = await Promise.all([registerUser(), registerUser()]);
    const title = unique("Same Title ");
    const a = await createArticle(first.token, { title, body: "first" });
    const b = await createArticle(second.token, { title, body: "second" });
    const c = await createArticle(first.token, { title, body: "third" });
    expect(a.slug).toBe(title.toLowerCase().replace(" ", "-").replace(" ", "-"));
    expect(new Set([a.slug, b.slug, c.slug]).size).toBe(3);
    expect(b.slug).toMatch(new RegExp(`^${a.slug}-[0-9a-z]{6}$`));
    expect(c.slug).toMatch(new RegExp(`^${a.slug}-[0-9a-z]{6}$`));
    expect((await read(a.slug)).body.article.body).toBe("first");
    expect((await read(b.slug)).body.article.body).toBe("second");
    expect((await read(c.slug)).body.article.body).toBe("third");
  });

  it("retitling to a taken title gets a distinct slug and leaves the other article alone", async () => {
    const author = await registerUser();
    const taken = await createArticle(author.token);
    const moving = await createArticle(author.token);
    const response = await api("PUT", `/api/articles/${moving.slug}`, {
      token: author.token,
      body: { article: { title: taken.title } },
    });
    expect(response.status).toBe(200);
    expect(response.body.article.slug).toMatch(new RegExp(`^${taken.slug}-[0-9a-z]{6}$`));
    expect((await read(taken.slug)).body.article.body).toBe(taken.body);
  });

  it("retitling to a title with the same slug keeps the slug", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const response = await api("PUT", `/api/articles/${created.slug}`, {
      token: author.token,
      body: { article: { title: (created.title as string).toUpperCase() } },
    });
    expect(response.body.article.slug).toBe(created.slug);
  });

  it.each([
    ["Japanese", "日本語のタイトル", "日本語のタイトル"],
    ["Greek", "Καλημέρα Κόσμε", "καλημέρα-κόσμε"],
    ["emoji", "🐉 Dragons 🔥 rule", "dragons-rule"],
  ])("keeps %s letters in the slug, readable through a percent-encoded path", async (_script, words, slugWords) => {
    const author = await registerUser();
    const id = unique("");
    const created = await createArticle(author.token, { title: `${words} ${id}` });
    expect(created.slug).toBe(`${slugWords}-${id}`);
    const response = await read(created.slug);
    expect(response.status).toBe(200);
    expect(response.body.article).toMatchObject({ slug: created.slug, title: `${words} ${id}` });
    const comments = await api("GET", `/api/articles/${encodeURIComponent(created.slug)}/comments`);
    expect(comments.body).toEqual({ comments: [] });
  });

  it("a title with no letters or digits still gets a working slug", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token, { title: "🐉🔥 !!!" });
    expect(created.slug).toMatch(/^article(-[0-9a-z]{6})?$/);
    expect((await read(created.slug)).body.article.title).toBe("🐉🔥 !!!");
  });

  it("an SQL-shaped title becomes a plain slug and is stored verbatim", async () => {
    const author = await registerUser();
    const title = `'; DROP TABLE users; -- ${unique("")}`;
    const created = await createArticle(author.token, { title });
    expect(created.slug).toMatch(/^drop-table-users-[0-9a-z]+$/);
    expect((await read(created.slug)).body.article.title).toBe(title);
  });
});
