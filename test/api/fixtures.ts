/**
 * Helpers the API tests share on top of test/support: forged tokens, the exact response
 * shapes the spec promises, direct database access and raw HTTP for what fetch cannot send.
 */
import http from "node:http";
import { decodeJwt, SignJWT } from "jose";
import postgres from "postgres";
import { expect, inject } from "vitest";
import { type ApiResponse, api, type RegisteredUser } from "../support/api-client.ts";
import { testJwtIssuer, testJwtSecret } from "../support/test-secrets.ts";

export const jsonContentType = "application/json; charset=utf-8";

/** ISO 8601 with `T`, milliseconds and `Z`, as `Date.prototype.toISOString` writes it. */
export const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const sqlInjectionStrings = ["'; DROP TABLE users; --", '" OR 1=1 --'];

// ---- tokens ----

export interface ForgedClaims {
  sub: string;
  /** Seconds since the epoch. */
  expiresAt?: number;
  issuer?: string;
  secret?: string;
}

export const forgeToken = ({
  sub,
  expiresAt = Math.floor(Date.now() / 1000) + 3600,
  issuer = testJwtIssuer,
  secret = testJwtSecret,
}: ForgedClaims): Promise<string> =>
  new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuer(issuer)
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));

export const userIdOf = (token: string): number => Number(decodeJwt(token).sub);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** `token` with its payload's subject swapped for another user id; the signature no longer matches. */
export const tamperedToken = (token: string, sub: string): string => {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
  return [header, base64url({ ...claims, sub }), signature].join(".");
};

/** An unsigned token (`alg: none`) with otherwise valid claims. */
export const unsignedToken = (sub: string): string =>
  [
    base64url({ alg: "none" }),
    base64url({ sub, iss: testJwtIssuer, exp: Math.floor(Date.now() / 1000) + 3600 }),
    "",
  ].join(".");

// ---- assertions ----

export const expectJson = (response: ApiResponse) => {
  expect(response.headers.get("content-type")).toBe(jsonContentType);
};

/** The spec's error shape with exactly these field messages. */
export const expectError = (response: ApiResponse, status: number, errors: Record<string, string[]>) => {
  expect({ status: response.status, body: response.body }).toEqual({ status, body: { errors } });
  expectJson(response);
};

/** Any 4xx body: `{errors: {<key>: [<message>, ...]}}` with at least one message. */
export const expectErrorShape = (body: unknown) => {
  expect(body).toEqual({ errors: expect.any(Object) });
  const errors = (body as { errors: Record<string, unknown> }).errors;
  expect(Object.keys(errors).length).toBeGreaterThan(0);
  for (const messages of Object.values(errors)) {
    expect(Array.isArray(messages) && messages.length > 0).toBe(true);
    for (const message of messages as unknown[]) expect(typeof message).toBe("string");
  }
};

export const profileOf = (user: Pick<RegisteredUser, "username">, following = false) => ({
  username: user.username,
  bio: null,
  image: null,
  following,
});

export const userOf = (user: RegisteredUser) => ({
  email: user.email,
  token: expect.any(String),
  username: user.username,
  bio: null,
  image: null,
});

const listItemKeys = [
  "author",
  "createdAt",
  "description",
  "favorited",
  "favoritesCount",
  "slug",
  "tagList",
  "title",
  "updatedAt",
];

/** A list item: every field of an article except `body`. */
export const expectListItemShape = (item: Record<string, unknown>) => {
  expect(Object.keys(item).sort()).toEqual(listItemKeys);
  expect(item).toEqual({
    slug: expect.any(String),
    title: expect.any(String),
    description: expect.any(String),
    tagList: expect.any(Array),
    createdAt: expect.stringMatching(isoTimestamp),
    updatedAt: expect.stringMatching(isoTimestamp),
    favorited: expect.any(Boolean),
    favoritesCount: expect.any(Number),
    author: expect.any(Object),
  });
  expectProfileShape(item.author);
};

export const expectProfileShape = (profile: unknown) => {
  expect(Object.keys(profile as object).sort()).toEqual(["bio", "following", "image", "username"]);
  const { username, bio, image, following } = profile as Record<string, unknown>;
  expect(typeof username).toBe("string");
  expect(bio === null || typeof bio === "string").toBe(true);
  expect(image === null || typeof image === "string").toBe(true);
  expect(typeof following).toBe("boolean");
};

// ---- requests fetch cannot make ----

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request on its own connection (no keep-alive pool), for bodies the server may refuse
 * before reading them: a refused socket must not poison the pool other requests share.
 */
export const rawRequest = (
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, inject("originUrl"));
    const request = http.request(url, { method, headers: options.headers, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    // An error after the response (the server closing on a refused body) changes nothing.
    request.on("error", (error) => reject(error));
    request.end(options.body);
  });

// ---- the database ----

/** A short-lived connection to the test database, for what the API cannot do (deleting a user). */
export const withDatabase = async <T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> => {
  const sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
};

export const deleteUserDirectly = (username: string) =>
  withDatabase(async (sql) => {
    await sql`delete from users where username = ${username}`;
  });

// ---- cache tags ----

export const parseTags = (header: string | null): string[] =>
  header ? header.split(",").map((tag) => decodeURIComponent(tag)) : [];

/** GET the same path anonymously, the way a shared cache would store it. */
export const anonymousRead = async (path: string) => {
  const response = await api("GET", path);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toMatch(/^public, /);
  return response;
};
