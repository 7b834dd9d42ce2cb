import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { api, registerUser, unique } from "../support/api-client.ts";
import { testJwtIssuer } from "../support/test-secrets.ts";
import { expectError, expectJson, sqlInjectionStrings, userIdOf, userOf } from "./fixtures.ts";

const password = "correct horse battery";

const newUser = (prefix = "reg") => {
  const username = unique(prefix);
  return { username, email: `${username}@example.test`, password };
};

const register = (user: Record<string, unknown>) => api("POST", "/api/users", { body: { user } });
const login = (email: string, secret: string) =>
  api("POST", "/api/users/login", { body: { user: { email, password: secret } } });
const updateUser = (token: string, user: Record<string, unknown>) => api("PUT", "/api/user", { token, body: { user } });

describe("POST /api/users (register)", () => {
  it("creates the user: 201 with email, token, username and null bio and image", async () => {
    const user = newUser();
    const response = await register(user);
    expect(response.status).toBe(201);
    expectJson(response);
    expect(response.body).toEqual({
      user: { email: user.email, token: expect.any(String), username: user.username, bio: null, image: null },
    });
  });

  it("issues an HS256 token whose subject is the user id and whose issuer is the origin's", async () => {
    const response = await register(newUser());
    const claims = decodeJwt(response.body.user.token);
    expect(claims.iss).toBe(testJwtIssuer);
    expect(claims.sub).toMatch(/^[1-9]\d*$/);
    expect(typeof claims.exp).toBe("number");
  });

  it("the new token authenticates GET /api/user at once", async () => {
    const user = newUser();
    const { body } = await register(user);
    const me = await api("GET", "/api/user", { token: body.user.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: { ...userOf({ ...user, token: "" }), token: body.user.token } });
  });

  it("accepts an 8-character password and a 64-character one", async () => {
    expect((await register({ ...newUser(), password: "12345678" })).status).toBe(201);
    expect((await register({ ...newUser(), password: "p".repeat(64) })).status).toBe(201);
  });

  it("accepts a unicode username with an inner space", async () => {
    const user = { ...newUser(), username: `名前 ${unique("u")}` };
    const response = await register(user);
    expect(response.status).toBe(201);
    expect(response.body.user.username).toBe(user.username);
  });

  it.each([
    [
      "every field missing",
      {},
      { username: ["can't be blank"], email: ["can't be blank"], password: ["can't be blank"] },
    ],
    ["username missing", { email: "a@b.test", password }, { username: ["can't be blank"] }],
    ["email missing", { username: "someone", password }, { email: ["can't be blank"] }],
    ["password missing", { username: "someone", email: "a@b.test" }, { password: ["can't be blank"] }],
    ["blank username", { username: "", email: "a@b.test", password }, { username: ["can't be blank"] }],
    ["whitespace-only username", { username: "   ", email: "a@b.test", password }, { username: ["can't be blank"] }],
    ["blank email", { username: "someone", email: "", password }, { email: ["can't be blank"] }],
    ["blank password", { username: "someone", email: "a@b.test", password: "" }, { password: ["can't be blank"] }],
    ["null username", { username: null, email: "a@b.test", password }, { username: ["can't be blank"] }],
    ["invalid email", { username: "someone", email: "not-an-email", password }, { email: ["is invalid"] }],
    [
      "7-character password",
      { username: "someone", email: "a@b.test", password: "1234567" },
      { password: ["is too short (minimum is 8 characters)"] },
    ],
    [
      "over-long fields",
      { username: "u".repeat(65), email: `${"e".repeat(250)}@b.test`, password: "p".repeat(257) },
      {
        username: ["is too long (maximum is 64 characters)"],
        email: ["is too long (maximum is 254 characters)"],
        password: ["is too long (maximum is 256 characters)"],
      },
    ],
    [
      "a slash in the username",
      { username: "a/b", email: "a@b.test", password },
      { username: ["may not contain / \\ ? # or control characters"] },
    ],
    [
      "numbers for strings",
      { username: 1, email: 2, password: 12345678 },
      { username: ["must be a string"], email: ["must be a string"], password: ["must be a string"] },
    ],
  ])("rejects %s with 422 and field-keyed messages", async (_case, user, errors) => {
    expectError(await register(user), 422, errors);
  });

  it("rejects a body without the user wrapper with 422", async () => {
    expectError(await api("POST", "/api/users", { body: newUser() }), 422, { user: ["can't be blank"] });
  });

  it("rejects an empty object body with 422", async () => {
    expectError(await api("POST", "/api/users", { body: {} }), 422, { user: ["can't be blank"] });
  });

  it("rejects a taken username with 409", async () => {
    const first = await registerUser();
    const response = await register({ ...newUser(), username: first.username });
    expectError(response, 409, { username: ["has already been taken"] });
  });

  it("rejects a taken email with 409", async () => {
    const first = await registerUser();
    expectError(await register({ ...newUser(), email: first.email }), 409, { email: ["has already been taken"] });
  });

  it("treats emails differing only in case as the same email", async () => {
    const first = await registerUser();
    const response = await register({ ...newUser(), email: first.email.toUpperCase() });
    expectError(response, 409, { email: ["has already been taken"] });
  });

  it("reports both fields when both are taken", async () => {
    const first = await registerUser();
    const response = await register({ username: first.username, email: first.email, password });
    expectError(response, 409, { email: ["has already been taken"], username: ["has already been taken"] });
  });

  it("treats usernames differing in case as different users (usernames compare exactly)", async () => {
    const first = await registerUser("Case");
    const response = await register({ ...newUser(), username: first.username.toLowerCase() });
    expect(response.status).toBe(201);
  });
});

describe("POST /api/users/login", () => {
  it("returns the user and a fresh token", async () => {
    const user = await registerUser();
    const response = await login(user.email, user.password);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body).toEqual({ user: userOf(user) });
    expect(userIdOf(response.body.user.token)).toBe(userIdOf(user.token));
  });

  it("matches the email case-insensitively", async () => {
    const user = await registerUser();
    const response = await login(user.email.toUpperCase(), user.password);
    expect(response.status).toBe(200);
    expect(response.body.user.username).toBe(user.username);
  });

  it("rejects a wrong password with 401 credentials invalid", async () => {
    const user = await registerUser();
    expectError(await login(user.email, "wrong password"), 401, { credentials: ["invalid"] });
  });

  it("rejects an unknown email with the same 401", async () => {
    expectError(await login(`${unique("nobody")}@example.test`, password), 401, { credentials: ["invalid"] });
  });

  it.each([
    ["missing fields", {}, { email: ["can't be blank"], password: ["can't be blank"] }],
    ["blank email", { email: " ", password }, { email: ["can't be blank"] }],
    ["blank password", { email: "a@b.test", password: "" }, { password: ["can't be blank"] }],
    ["numbers", { email: 1, password: 2 }, { email: ["must be a string"], password: ["must be a string"] }],
  ])("rejects %s with 422", async (_case, user, errors) => {
    expectError(await api("POST", "/api/users/login", { body: { user } }), 422, errors);
  });
});

describe("GET /api/user", () => {
  it("returns the current user with the token it was called with", async () => {
    const user = await registerUser();
    const response = await api("GET", "/api/user", { token: user.token });
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body).toEqual({ user: { ...userOf(user), token: user.token } });
  });

  it("requires a token", async () => {
    expectError(await api("GET", "/api/user"), 401, { token: ["is missing"] });
  });
});

describe("PUT /api/user", () => {
  it("updates bio and image and returns the whole user", async () => {
    const user = await registerUser();
    const response = await updateUser(user.token, { bio: "I write", image: "https://example.test/me.png" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: { ...userOf(user), token: user.token, bio: "I write", image: "https://example.test/me.png" },
    });
    const me = await api("GET", "/api/user", { token: user.token });
    expect(me.body.user).toMatchObject({ bio: "I write", image: "https://example.test/me.png" });
  });

  it('stores "" for bio and image as null', async () => {
    const user = await registerUser();
    await updateUser(user.token, { bio: "something", image: "https://example.test/x.png" });
    const response = await updateUser(user.token, { bio: "", image: "" });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ bio: null, image: null });
    const profile = await api("GET", `/api/profiles/${user.username}`);
    expect(profile.body.profile).toMatchObject({ bio: null, image: null });
  });

  it("accepts null for bio and image", async () => {
    const user = await registerUser();
    await updateUser(user.token, { bio: "something" });
    const response = await updateUser(user.token, { bio: null, image: null });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ bio: null, image: null });
  });

  it("changes the username: the profile moves, the old name is gone and the token keeps working", async () => {
    const user = await registerUser();
    const username = unique("renamed");
    const response = await updateUser(user.token, { username });
    expect(response.status).toBe(200);
    expect(response.body.user.username).toBe(username);
    expect((await api("GET", `/api/profiles/${username}`)).status).toBe(200);
    expectError(await api("GET", `/api/profiles/${user.username}`), 404, { profile: ["not found"] });
    expect((await api("GET", "/api/user", { token: user.token })).body.user.username).toBe(username);
  });

  it("changes the email: login works with the new one only", async () => {
    const user = await registerUser();
    const email = `${unique("moved")}@example.test`;
    expect((await updateUser(user.token, { email })).body.user.email).toBe(email);
    expect((await login(email, user.password)).status).toBe(200);
    expectError(await login(user.email, user.password), 401, { credentials: ["invalid"] });
  });

  it("changes the password: the new one logs in, the old one fails", async () => {
    const user = await registerUser();
    const response = await updateUser(user.token, { password: "a brand new password" });
    expect(response.status).toBe(200);
    expect(response.body.user).not.toHaveProperty("password");
    expect((await login(user.email, "a brand new password")).status).toBe(200);
    expectError(await login(user.email, user.password), 401, { credentials: ["invalid"] });
  });

  it("accepts the user's own email and username unchanged", async () => {
    const user = await registerUser();
    const response = await updateUser(user.token, { email: user.email, username: user.username });
    expect(response.status).toBe(200);
  });

  it("stores SQL-shaped bios verbatim", async () => {
    const user = await registerUser();
    for (const bio of sqlInjectionStrings) {
      const response = await updateUser(user.token, { bio });
      expect(response.body.user.bio).toBe(bio);
      expect((await api("GET", `/api/profiles/${user.username}`)).body.profile.bio).toBe(bio);
    }
  });

  it.each([
    ["null email", { email: null }, { email: ["can't be blank"] }],
    ["null username", { username: null }, { username: ["can't be blank"] }],
    ["blank email", { email: "" }, { email: ["can't be blank"] }],
    ["whitespace-only username", { username: "  " }, { username: ["can't be blank"] }],
    ["invalid email", { email: "nope" }, { email: ["is invalid"] }],
    ["short password", { password: "short" }, { password: ["is too short (minimum is 8 characters)"] }],
    ["number for bio", { bio: 5 }, { bio: ["must be a string or null"] }],
    ["over-long bio", { bio: "b".repeat(10_001) }, { bio: ["is too long (maximum is 10000 characters)"] }],
    ["over-long image", { image: "i".repeat(2_049) }, { image: ["is too long (maximum is 2048 characters)"] }],
  ])("rejects %s with 422", async (_case, changes, errors) => {
    const user = await registerUser();
    expectError(await updateUser(user.token, changes), 422, errors);
  });

  it("rejects an empty object body with 422", async () => {
    const user = await registerUser();
    expectError(await api("PUT", "/api/user", { token: user.token, body: {} }), 422, { user: ["can't be blank"] });
  });

  it("rejects another user's username with 409", async () => {
    const [user, other] = await Promise.all([registerUser(), registerUser()]);
    expectError(await updateUser(user.token, { username: other.username }), 409, {
      username: ["has already been taken"],
    });
  });

  it("rejects another user's email, whatever its case, with 409", async () => {
    const [user, other] = await Promise.all([registerUser(), registerUser()]);
    expectError(await updateUser(user.token, { email: other.email.toUpperCase() }), 409, {
      email: ["has already been taken"],
    });
  });

  it("requires a token", async () => {
    expectError(await api("PUT", "/api/user", { body: { user: { bio: "x" } } }), 401, { token: ["is missing"] });
  });
});
