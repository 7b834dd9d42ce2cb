import { inject } from "vitest";

/**
 * A thin RealWorld client for tests: JSON in, status + parsed body out. Each call is a
 * real HTTP request to the origin the global setup started.
 */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent verbatim, for malformed-input tests. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export const baseUrl = () => inject("originUrl");

export const api = <T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> =>
  apiAt<T>(baseUrl(), method, path, options);

/** The same call against another server: an instance, NGINX or an edge a test started itself. */
export const apiAt = async <T = any>(
  base: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Token ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (text && response.headers.get("content-type")?.includes("application/json")) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T };
};

let counter = 0;
/** Names unique across test files and runs against the shared database. */
export const unique = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface RegisteredUser {
  username: string;
  email: string;
  password: string;
  token: string;
}

export const registerUser = (prefix = "user"): Promise<RegisteredUser> => registerUserAt(baseUrl(), prefix);

export const registerUserAt = async (
  base: string,
  prefix = "user",
  options: Pick<RequestOptions, "headers"> = {},
): Promise<RegisteredUser> => {
  const username = unique(prefix);
  const email = `${username}@example.test`;
  const password = "correct horse battery";
  const response = await apiAt<{ user: { token: string } }>(base, "POST", "/api/users", {
    ...options,
    body: { user: { username, email, password } },
  });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { username, email, password, token: response.body.user.token };
};

export const createArticle = (token: string, article: Record<string, unknown> = {}) =>
  createArticleAt(baseUrl(), token, article);

export const createArticleAt = async (base: string, token: string, article: Record<string, unknown> = {}) => {
  const response = await apiAt<{ article: { slug: string } & Record<string, unknown> }>(base, "POST", "/api/articles", {
    token,
    body: {
      article: { title: unique("Title "), description: "A description", body: "A body", tagList: [], ...article },
    },
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.article;
};
