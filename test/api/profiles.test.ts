import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser, unique } from "../support/api-client.ts";
import { expectError, expectJson, profileOf } from "./fixtures.ts";

const follow = (token: string, username: string) => api("POST", `/api/profiles/${username}/follow`, { token });
const unfollow = (token: string, username: string) => api("DELETE", `/api/profiles/${username}/follow`, { token });
const profile = (username: string, token?: string) =>
  api("GET", `/api/profiles/${encodeURIComponent(username)}`, token === undefined ? {} : { token });

describe("GET /api/profiles/:username", () => {
  it("returns username, null bio and image, and following false for an anonymous reader", async () => {
    const user = await registerUser();
    const response = await profile(user.username);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body).toEqual({ profile: profileOf(user) });
  });

  it("shows the bio and image once set", async () => {
    const user = await registerUser();
    await api("PUT", "/api/user", { token: user.token, body: { user: { bio: "hi", image: "https://x.test/i.png" } } });
    expect((await profile(user.username)).body).toEqual({
      profile: { username: user.username, bio: "hi", image: "https://x.test/i.png", following: false },
    });
  });

  it("finds a unicode username through its percent-encoded path", async () => {
    const username = `Ζωή ${unique("p")}`;
    const registered = await api("POST", "/api/users", {
      body: { user: { username, email: `${unique("z")}@example.test`, password: "long enough" } },
    });
    expect(registered.status).toBe(201);
    expect((await profile(username)).body.profile.username).toBe(username);
  });

  it("answers 404 profile not found for an unknown username", async () => {
    expectError(await profile(unique("ghost")), 404, { profile: ["not found"] });
  });

  it("answers 401 for an invalid token even though the read is public", async () => {
    const user = await registerUser();
    expectError(await profile(user.username, "not-a-jwt"), 401, { token: ["invalid"] });
  });
});

describe("follow and unfollow", () => {
  it("following returns the profile with following true, and the follower sees it so", async () => {
    const [reader, author] = await Promise.all([registerUser(), registerUser()]);
    const response = await follow(reader.token, author.username);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body).toEqual({ profile: profileOf(author, true) });
    expect((await profile(author.username, reader.token)).body.profile.following).toBe(true);
  });

  it("following is per reader: anonymous readers and other users still see false", async () => {
    const [reader, other, author] = await Promise.all([registerUser(), registerUser(), registerUser()]);
    await follow(reader.token, author.username);
    expect((await profile(author.username)).body.profile.following).toBe(false);
    expect((await profile(author.username, other.token)).body.profile.following).toBe(false);
  });

  it("unfollowing returns following false and the follower then sees false", async () => {
    const [reader, author] = await Promise.all([registerUser(), registerUser()]);
    await follow(reader.token, author.username);
    const response = await unfollow(reader.token, author.username);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ profile: profileOf(author, false) });
    expect((await profile(author.username, reader.token)).body.profile.following).toBe(false);
  });

  it("following twice and unfollowing someone not followed are not errors", async () => {
    const [reader, author] = await Promise.all([registerUser(), registerUser()]);
    expect((await follow(reader.token, author.username)).status).toBe(200);
    const again = await follow(reader.token, author.username);
    expect(again.status).toBe(200);
    expect(again.body.profile.following).toBe(true);
    expect((await unfollow(reader.token, author.username)).status).toBe(200);
    const twice = await unfollow(reader.token, author.username);
    expect(twice.status).toBe(200);
    expect(twice.body.profile.following).toBe(false);
  });

  it("is reflected in article.author.following for that reader only", async () => {
    const [reader, other, author] = await Promise.all([registerUser(), registerUser(), registerUser()]);
    const article = await createArticle(author.token);
    await follow(reader.token, author.username);
    const read = (token?: string) => api("GET", `/api/articles/${article.slug}`, token ? { token } : {});
    expect((await read(reader.token)).body.article.author.following).toBe(true);
    expect((await read(other.token)).body.article.author.following).toBe(false);
    expect((await read()).body.article.author.following).toBe(false);
    const list = await api("GET", `/api/articles?author=${author.username}`, { token: reader.token });
    expect(list.body.articles.map((item: any) => item.author.following)).toEqual([true]);
    await unfollow(reader.token, author.username);
    expect((await read(reader.token)).body.article.author.following).toBe(false);
  });

  it.each([
    ["POST", follow],
    ["DELETE", unfollow],
  ])("%s follow answers 404 for an unknown username", async (_method, action) => {
    const reader = await registerUser();
    expectError(await action(reader.token, unique("ghost")), 404, { profile: ["not found"] });
  });

  it.each(["POST", "DELETE"])("%s follow requires a token, even for an unknown username (401 wins)", async (method) => {
    const author = await registerUser();
    expectError(await api(method, `/api/profiles/${author.username}/follow`), 401, { token: ["is missing"] });
    expectError(await api(method, `/api/profiles/${unique("ghost")}/follow`), 401, { token: ["is missing"] });
  });
});
