import type { RequestSpec } from "./request-spec.ts";

/**
 * Request builders for the Conduit API (RealWorld spec v2, base path `/api`). Each is
 * named after its route in shared/routes/route-table.ts; slugs and usernames may be
 * unicode, so every path segment and query value is percent-encoded.
 */
type Token = string | undefined;

const headersFor = (token: Token, hasBody = false): Record<string, string> => ({
  Accept: "application/json",
  ...(hasBody ? { "Content-Type": "application/json" } : {}),
  ...(token ? { Authorization: `Token ${token}` } : {}),
});

const request = (
  route: string,
  method: RequestSpec["method"],
  path: string,
  token: Token,
  body?: unknown,
): RequestSpec => ({
  name: route,
  route,
  method,
  path,
  headers: headersFor(token, body !== undefined),
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const segment = encodeURIComponent;

const queryString = (query: Record<string, string | number | undefined>): string => {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${segment(key)}=${segment(String(value))}`);
  return pairs.length === 0 ? "" : `?${pairs.join("&")}`;
};

export interface ArticleQuery {
  tag?: string;
  author?: string;
  favorited?: string;
  limit: number;
  offset: number;
}

export interface NewArticle {
  title: string;
  description: string;
  body: string;
  tagList: string[];
}

export const conduitRequests = {
  listTags: (token?: Token) => request("listTags", "GET", "/api/tags", token),
  listArticles: (query: ArticleQuery, token?: Token) =>
    request("listArticles", "GET", `/api/articles${queryString({ ...query })}`, token),
  feedArticles: (query: { limit: number; offset: number }, token: string) =>
    request("feedArticles", "GET", `/api/articles/feed${queryString(query)}`, token),
  getArticle: (slug: string, token?: Token) => request("getArticle", "GET", `/api/articles/${segment(slug)}`, token),
  listComments: (slug: string, token?: Token) =>
    request("listComments", "GET", `/api/articles/${segment(slug)}/comments`, token),
  getProfile: (username: string, token?: Token) =>
    request("getProfile", "GET", `/api/profiles/${segment(username)}`, token),
  login: (email: string, password: string) =>
    request("login", "POST", "/api/users/login", undefined, { user: { email, password } }),
  register: (user: { username: string; email: string; password: string }) =>
    request("register", "POST", "/api/users", undefined, { user }),
  followUser: (username: string, token: string) =>
    request("followUser", "POST", `/api/profiles/${segment(username)}/follow`, token),
  favoriteArticle: (slug: string, token: string) =>
    request("favoriteArticle", "POST", `/api/articles/${segment(slug)}/favorite`, token),
  createComment: (slug: string, body: string, token: string) =>
    request("createComment", "POST", `/api/articles/${segment(slug)}/comments`, token, { comment: { body } }),
  createArticle: (article: NewArticle, token: string) =>
    request("createArticle", "POST", "/api/articles", token, { article }),
};
