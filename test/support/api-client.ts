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

export const api = async <T = any>(
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
  const response = await fetch(`${baseUrl()}${path}`, { method, headers, body });
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

export const registerUser = async (prefix = "user"): Promise<RegisteredUser> => {
  const username = unique(prefix);
  const email = `${username}@example.test`;
  const password = "correct horse battery";
  const response = await api<{ user: { token: string } }>("POST", "/api/users", {
    body: { user: { username, email, password } },
  });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { username, email, password, token: response.body.user.token };
};

export const createArticle = async (token: string, article: Record<string, unknown> = {}) => {
  const response = await api<{ article: { slug: string } & Record<string, unknown> }>("POST", "/api/articles", {
    token,
    body: {
      article: { title: unique("Title "), description: "A description", body: "A body", tagList: [], ...article },
    },
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.article;
};
