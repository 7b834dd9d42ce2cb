/**
 * Content for the edge benchmark, written through the API as any client would: one author,
 * `articles` articles with tags and a comment each. Returns the anonymous reads the
 * benchmark keeps hot: the default article list (20 articles, the body size design.md's
 * `Map` and proxy_cache hits were measured with), a few articles, their comments, the
 * author's profile and the tag list.
 */
const post = async (base: string, route: string, body: unknown, token?: string) => {
  const response = await fetch(`${base}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Token ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const parsed = await response.json();
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`POST ${route}: ${response.status} ${JSON.stringify(parsed)}`);
  }
  return parsed;
};

const paragraph =
  "Caching at the edge is only worth it when a hit costs a small fraction of the origin's own cached path.";

export const seedHotReads = async (base: string, articles = 24): Promise<string[]> => {
  const username = `bench${Date.now().toString(36)}`;
  const registered = await post(base, "/api/users", {
    user: { username, email: `${username}@example.test`, password: "edge hit path benchmark" },
  });
  const token: string = registered.user.token;
  const slugs: string[] = [];
  for (let index = 0; index < articles; index++) {
    const created = await post(
      base,
      "/api/articles",
      {
        article: {
          title: `Edge hit path ${index}`,
          description: `${paragraph} (${index})`,
          body: Array.from({ length: 8 }, () => paragraph).join(" "),
          tagList: ["edge", "bench", `topic${index % 4}`],
        },
      },
      token,
    );
    const slug: string = created.article.slug;
    slugs.push(slug);
    await post(base, `/api/articles/${slug}/comments`, { comment: { body: paragraph } }, token);
  }
  const featured = slugs.slice(0, 4);
  return [
    "/api/articles?limit=20",
    "/api/articles?limit=10&tag=edge",
    ...featured.map((slug) => `/api/articles/${slug}`),
    ...featured.map((slug) => `/api/articles/${slug}/comments`),
    `/api/profiles/${username}`,
    "/api/tags",
  ];
};
