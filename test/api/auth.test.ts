import { beforeAll, describe, expect, it } from "vitest";
import { api, createArticle, type RegisteredUser, registerUser, unique } from "../support/api-client.ts";
import { deleteUserDirectly, expectError, forgeToken, tamperedToken, unsignedToken, userIdOf } from "./fixtures.ts";

/**
 * Every way a presented token can be wrong, against every route that needs one and every
 * public read that accepts one. Targets exist, so a 401 is never a 404 in disguise.
 */
let owner: RegisteredUser;
let slug: string;
let commentId: number;
const authorizationFor: Record<string, string> = {};

const badTokens = {
  '"Token" with nothing after it': async () => "Token",
  '"Basic x"': async () => "Basic x",
  "a token that is not a JWT": async () => "Token not-a-jwt",
  "a token signed with another secret": async () =>
    `Token ${await forgeToken({ sub: String(userIdOf(owner.token)), secret: "another-secret-0123456789abcdefghijklmnop" })}`,
  "a token whose payload was tampered with": async () => {
    const victim = await registerUser("victim");
    return `Token ${tamperedToken(owner.token, String(userIdOf(victim.token)))}`;
  },
  "an expired token": async () =>
    `Token ${await forgeToken({ sub: String(userIdOf(owner.token)), expiresAt: Math.floor(Date.now() / 1000) - 60 })}`,
  "a token from another issuer": async () =>
    `Token ${await forgeToken({ sub: String(userIdOf(owner.token)), issuer: "someone-else" })}`,
  "an unsigned (alg none) token": async () => `Token ${unsignedToken(String(userIdOf(owner.token)))}`,
  "a token with a non-numeric subject": async () => `Token ${await forgeToken({ sub: "admin" })}`,
} as const;

/** Validly signed tokens that name no existing user. */
const orphanTokens = {
  "a token of a deleted user": async () => {
    const doomed = await registerUser("doomed");
    await deleteUserDirectly(doomed.username);
    return `Token ${doomed.token}`;
  },
  "a token for a user id that never existed": async () => `Token ${await forgeToken({ sub: "2000000000" })}`,
  "a token for a user id beyond the id column's range": async () => `Token ${await forgeToken({ sub: "99999999999" })}`,
} as const;

type Call = () => { method: string; path: string; body?: unknown };

const requiredAuthCalls: Record<string, Call> = {
  "GET /api/user": () => ({ method: "GET", path: "/api/user" }),
  "PUT /api/user": () => ({ method: "PUT", path: "/api/user", body: { user: { bio: "changed" } } }),
  "GET /api/articles/feed": () => ({ method: "GET", path: "/api/articles/feed" }),
  "POST /api/articles": () => ({
    method: "POST",
    path: "/api/articles",
    body: { article: { title: unique("t"), description: "d", body: "b" } },
  }),
  "PUT /api/articles/:slug": () => ({ method: "PUT", path: `/api/articles/${slug}`, body: { article: { body: "x" } } }),
  "DELETE /api/articles/:slug": () => ({ method: "DELETE", path: `/api/articles/${slug}` }),
  "POST /api/articles/:slug/favorite": () => ({ method: "POST", path: `/api/articles/${slug}/favorite` }),
  "DELETE /api/articles/:slug/favorite": () => ({ method: "DELETE", path: `/api/articles/${slug}/favorite` }),
  "POST /api/articles/:slug/comments": () => ({
    method: "POST",
    path: `/api/articles/${slug}/comments`,
    body: { comment: { body: "hi" } },
  }),
  "DELETE /api/articles/:slug/comments/:id": () => ({
    method: "DELETE",
    path: `/api/articles/${slug}/comments/${commentId}`,
  }),
  "POST /api/profiles/:username/follow": () => ({ method: "POST", path: `/api/profiles/${owner.username}/follow` }),
  "DELETE /api/profiles/:username/follow": () => ({
    method: "DELETE",
    path: `/api/profiles/${owner.username}/follow`,
  }),
};

const optionalAuthCalls: Record<string, Call> = {
  "GET /api/articles": () => ({ method: "GET", path: `/api/articles?author=${owner.username}` }),
  "GET /api/articles/:slug": () => ({ method: "GET", path: `/api/articles/${slug}` }),
  "GET /api/articles/:slug/comments": () => ({ method: "GET", path: `/api/articles/${slug}/comments` }),
  "GET /api/profiles/:username": () => ({ method: "GET", path: `/api/profiles/${owner.username}` }),
};

const send = (call: Call, authorization?: string) => {
  const { method, path, body } = call();
  return api(method, path, {
    ...(body === undefined ? {} : { body }),
    ...(authorization === undefined ? {} : { headers: { authorization } }),
  });
};

beforeAll(async () => {
  owner = await registerUser("owner");
  slug = (await createArticle(owner.token)).slug;
  commentId = (
    await api("POST", `/api/articles/${slug}/comments`, { token: owner.token, body: { comment: { body: "c" } } })
  ).body.comment.id;
  for (const [name, make] of Object.entries({ ...badTokens, ...orphanTokens })) authorizationFor[name] = await make();
});

describe("routes that require a token", () => {
  it.each(Object.keys(requiredAuthCalls))("%s without a token answers 401 token is missing", async (name) => {
    expectError(await send(requiredAuthCalls[name]!), 401, { token: ["is missing"] });
  });

  describe.each(Object.keys({ ...badTokens, ...orphanTokens }))("with %s", (tokenName) => {
    it.each(Object.keys(requiredAuthCalls))("%s answers 401 token invalid", async (name) => {
      expectError(await send(requiredAuthCalls[name]!, authorizationFor[tokenName]), 401, { token: ["invalid"] });
    });
  });

  it("the owner's resources are untouched by all those attempts", async () => {
    const article = await api("GET", `/api/articles/${slug}`);
    expect(article.body.article).toMatchObject({ slug, favoritesCount: 0, body: "A body" });
    expect((await api("GET", `/api/articles/${slug}/comments`)).body.comments.map((c: any) => c.id)).toEqual([
      commentId,
    ]);
  });
});

describe("public reads that accept an optional token", () => {
  describe.each(Object.keys(badTokens))("with %s", (tokenName) => {
    it.each(Object.keys(optionalAuthCalls))("%s answers 401 token invalid", async (name) => {
      expectError(await send(optionalAuthCalls[name]!, authorizationFor[tokenName]), 401, { token: ["invalid"] });
    });
  });

  it.each(Object.keys(optionalAuthCalls))("%s answers 200 without a token", async (name) => {
    expect((await send(optionalAuthCalls[name]!)).status).toBe(200);
  });
});

describe("accepted token forms", () => {
  it.each([
    ["Token <jwt>", (token: string) => `Token ${token}`],
    ["Bearer <jwt>", (token: string) => `Bearer ${token}`],
    ["token <jwt> (scheme in any case)", (token: string) => `token ${token}`],
  ])("%s authenticates", async (_form, header) => {
    const response = await api("GET", "/api/user", { headers: { authorization: header(owner.token) } });
    expect(response.status).toBe(200);
    expect(response.body.user.username).toBe(owner.username);
  });

  it("a token issued before a password change keeps working (tokens name the user, not the password)", async () => {
    const user = await registerUser();
    await api("PUT", "/api/user", { token: user.token, body: { user: { password: "another password" } } });
    expect((await api("GET", "/api/user", { token: user.token })).status).toBe(200);
  });
});
