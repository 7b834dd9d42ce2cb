import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createArticle, type RegisteredUser, registerUser } from "../support/api-client.ts";
import { expectErrorShape } from "./fixtures.ts";
import { anyString } from "./fuzz-arbitraries.ts";

/**
 * Text fields end up in Postgres `text` columns: whatever string a client sends is either
 * stored as the API promises or refused with a 422, never a 500. NUL is the classic case
 * (Postgres text cannot hold it), so it also has plain examples below.
 */
const numRuns = 150;
const timeout = 60_000;

let user: RegisteredUser;

beforeAll(async () => {
  user = await registerUser("texts");
});

interface TextField {
  name: string;
  key: string;
  write: (slug: string, text: string) => Promise<{ status: number; body: any }>;
  stored: (body: any) => unknown;
  /** What the API promises to store for a well-formed text; `undefined` when it must refuse it. */
  expected: (text: string) => unknown;
}

/** Required text is stored trimmed; blank or over-long text is refused. */
const trimmedOrRefused = (max: number) => (text: string) => {
  const trimmed = text.trim();
  return trimmed === "" || trimmed.length > max ? undefined : trimmed;
};

const textFieldList: TextField[] = [
  {
    name: "article title",
    key: "title",
    write: (slug, text) =>
      api("PUT", `/api/articles/${encodeURIComponent(slug)}`, {
        token: user.token,
        body: { article: { title: text } },
      }),
    stored: (body) => body.article.title,
    expected: trimmedOrRefused(256),
  },
  {
    name: "article body",
    key: "body",
    write: (slug, text) =>
      api("PUT", `/api/articles/${encodeURIComponent(slug)}`, { token: user.token, body: { article: { body: text } } }),
    stored: (body) => body.article.body,
    expected: trimmedOrRefused(100_000),
  },
  {
    name: "article tag",
    key: "tagList",
    write: (slug, text) =>
      api("PUT", `/api/articles/${encodeURIComponent(slug)}`, {
        token: user.token,
        body: { article: { tagList: [text] } },
      }),
    stored: (body) => body.article.tagList,
    expected: (text) => (trimmedOrRefused(64)(text) === undefined ? undefined : [text.trim()]),
  },
  {
    name: "comment body",
    key: "body",
    write: (slug, text) =>
      api("POST", `/api/articles/${encodeURIComponent(slug)}/comments`, {
        token: user.token,
        body: { comment: { body: text } },
      }),
    stored: (body) => body.comment.body,
    expected: trimmedOrRefused(10_000),
  },
  {
    name: "bio",
    key: "bio",
    write: (_slug, text) => api("PUT", "/api/user", { token: user.token, body: { user: { bio: text } } }),
    stored: (body) => body.user.bio,
    expected: (text) => (text.trim() === "" ? null : text),
  },
];
const textFields = fc.constantFrom(...textFieldList);

describe("property: text fields", () => {
  it(
    "any well-formed text is stored as promised (trimmed where the field trims) or refused with 422; no text is a 5xx",
    async () => {
      let slug = (await createArticle(user.token)).slug;
      await fc.assert(
        fc.asyncProperty(textFields, anyString, async (field, text) => {
          const response = await field.write(slug, text);
          const context = `${field.name} ${JSON.stringify(text)} -> ${response.status} ${JSON.stringify(response.body)}`;
          expect(response.status, context).toBeLessThan(500);
          if (response.status < 300 && field.key === "title") slug = response.body.article.slug;
          if (text.includes("\u0000") || !text.isWellFormed()) {
            // Postgres text cannot hold NUL, and lone surrogates cannot be encoded: a refusal is fine.
            if (response.status >= 400) expect(Object.keys(response.body.errors), context).toEqual([field.key]);
            return;
          }
          const expected = field.expected(text);
          if (expected === undefined) {
            expect(response.status, context).toBe(422);
            expect(Object.keys(response.body.errors), context).toEqual([field.key]);
          } else {
            expect(response.status, context).toBeLessThan(300);
            expect(field.stored(response.body), context).toEqual(expected);
          }
        }),
        // Tried first in every run: NUL, which Postgres text cannot hold, once answered 500 here.
        { numRuns, examples: [[textFieldList[0]!, "a\u0000b"]] },
      );
      await api("DELETE", `/api/articles/${encodeURIComponent(slug)}`, { token: user.token });
    },
    timeout,
  );
});

describe("NUL in text", () => {
  // An article of its own, so a 404 cannot hide the answer.
  let quietSlug: string;
  beforeAll(async () => {
    quietSlug = (await createArticle(user.token)).slug;
  });

  it.each([
    [
      "an article title",
      "POST",
      () => "/api/articles",
      { article: { title: "a\u0000b", description: "d", body: "b" } },
    ],
    [
      "an article tag",
      "POST",
      () => "/api/articles",
      { article: { title: "t", description: "d", body: "b", tagList: ["a\u0000"] } },
    ],
    ["a comment body", "POST", () => `/api/articles/${quietSlug}/comments`, { comment: { body: "a\u0000b" } }],
    ["a bio", "PUT", () => "/api/user", { user: { bio: "a\u0000b" } }],
    [
      "a login email",
      "POST",
      () => "/api/users/login",
      { user: { email: "a\u0000b@example.test", password: "long enough" } },
    ],
  ])("a NUL character in %s is answered with a 4xx, not a 500", async (_field, method, path, body) => {
    const response = await api(method, path(), { token: user.token, body });
    expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectErrorShape(response.body);
  });

  it.each([
    ["an article slug", "/api/articles/a%00b", 404],
    ["a comment list slug", "/api/articles/a%00b/comments", 404],
    ["a username", "/api/profiles/a%00b", 404],
    ["a tag filter", "/api/articles?tag=a%00b", 200],
    ["an author filter", "/api/articles?author=a%00b", 200],
    ["a favorited filter", "/api/articles?favorited=a%00b", 200],
  ])("a NUL byte in %s (%s) matches nothing: %i or 422, not 500", async (_place, path, status) => {
    const response = await api("GET", path);
    expect([status, 422], JSON.stringify(response.body)).toContain(response.status);
  });
});
