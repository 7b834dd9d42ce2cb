import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser, unique } from "../support/api-client.ts";

/** Real parallel requests, spread by the cluster over both workers and many DB connections. */
const statusCounts = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, status) => {
    counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }, {});

describe("concurrent writes", () => {
  it("30 simultaneous registrations of one username: exactly one 201, the rest 409 username taken", async () => {
    const username = unique("race");
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        api("POST", "/api/users", {
          body: { user: { username, email: `${unique("race")}@example.test`, password: "long enough" } },
        }),
      ),
    );
    expect(statusCounts(responses.map((response) => response.status))).toEqual({ 201: 1, 409: 29 });
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      expect(response.body).toEqual({ errors: { username: ["has already been taken"] } });
    }
    expect((await api("GET", `/api/profiles/${username}`)).status).toBe(200);
  });

  it("30 simultaneous registrations of one email (in varying case): exactly one 201, the rest 409 email taken", async () => {
    const email = `${unique("race")}@example.test`;
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        api("POST", "/api/users", {
          body: {
            user: { username: unique("race"), email: index % 2 ? email.toUpperCase() : email, password: "long enough" },
          },
        }),
      ),
    );
    expect(statusCounts(responses.map((response) => response.status))).toEqual({ 201: 1, 409: 29 });
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      expect(response.body).toEqual({ errors: { email: ["has already been taken"] } });
    }
  });

  it("50 users favoriting one article at once count exactly 50, and unfavoriting at once brings it to 0", async () => {
    const author = await registerUser();
    const fans = await Promise.all(Array.from({ length: 50 }, () => registerUser("fan")));
    const created = await createArticle(author.token);
    const favorites = await Promise.all(
      fans.map((fan) => api("POST", `/api/articles/${created.slug}/favorite`, { token: fan.token })),
    );
    expect(favorites.every((response) => response.status === 200 && response.body.article.favorited)).toBe(true);
    expect((await api("GET", `/api/articles/${created.slug}`)).body.article.favoritesCount).toBe(50);

    const unfavorites = await Promise.all(
      fans.map((fan) => api("DELETE", `/api/articles/${created.slug}/favorite`, { token: fan.token })),
    );
    expect(unfavorites.every((response) => response.status === 200 && !response.body.article.favorited)).toBe(true);
    expect((await api("GET", `/api/articles/${created.slug}`)).body.article.favoritesCount).toBe(0);
  });

  it("one user favoriting the same article 20 times at once counts once", async () => {
    const [author, fan] = await Promise.all([registerUser(), registerUser()]);
    const created = await createArticle(author.token);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api("POST", `/api/articles/${created.slug}/favorite`, { token: fan.token })),
    );
    expect(statusCounts(responses.map((response) => response.status))).toEqual({ 200: 20 });
    expect((await api("GET", `/api/articles/${created.slug}`)).body.article.favoritesCount).toBe(1);
  });

  it("20 simultaneous creates with one title: all 201, 20 distinct readable slugs", async () => {
    const author = await registerUser();
    const title = unique("Same ");
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api("POST", "/api/articles", {
          token: author.token,
          body: { article: { title, description: "d", body: `body ${index}` } },
        }),
      ),
    );
    expect(statusCounts(responses.map((response) => response.status))).toEqual({ 201: 20 });
    const slugs = responses.map((response) => response.body.article.slug as string);
    expect(new Set(slugs).size).toBe(20);
    const reads = await Promise.all(slugs.map((slug) => api("GET", `/api/articles/${slug}`)));
    expect(reads.map((read) => read.body.article.body).sort()).toEqual(
      responses.map((response) => response.body.article.body).sort(),
    );
    expect((await api("GET", `/api/articles?author=${author.username}`)).body.articlesCount).toBe(20);
  });

  it("a tag shared by 20 articles created and then deleted at once is listed while used and gone after", async () => {
    const author = await registerUser();
    const tag = unique("crowd");
    const created = await Promise.all(
      Array.from({ length: 20 }, () =>
        api("POST", "/api/articles", {
          token: author.token,
          body: { article: { title: unique("t"), description: "d", body: "b", tagList: [tag, unique("solo")] } },
        }),
      ),
    );
    expect(statusCounts(created.map((response) => response.status))).toEqual({ 201: 20 });
    expect((await api("GET", "/api/tags")).body.tags).toContain(tag);
    const deletions = await Promise.all(
      created.map((response) => api("DELETE", `/api/articles/${response.body.article.slug}`, { token: author.token })),
    );
    expect(statusCounts(deletions.map((response) => response.status))).toEqual({ 204: 20 });
    expect((await api("GET", "/api/tags")).body.tags).not.toContain(tag);
  });

  it("20 simultaneous comments all land, each listed once in id order", async () => {
    const author = await registerUser();
    const created = await createArticle(author.token);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api("POST", `/api/articles/${created.slug}/comments`, {
          token: author.token,
          body: { comment: { body: `c${index}` } },
        }),
      ),
    );
    expect(statusCounts(responses.map((response) => response.status))).toEqual({ 201: 20 });
    const listed = (await api("GET", `/api/articles/${created.slug}/comments`)).body.comments.map((c: any) => c.id);
    expect(listed).toEqual(responses.map((response) => response.body.comment.id).sort((a, b) => a - b));
  });
});
