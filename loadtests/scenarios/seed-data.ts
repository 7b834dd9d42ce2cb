import { conduitRequests } from "./conduit-requests.ts";
import { expectStatus, isRecord, parseObject, stringsOf } from "./json-guards.ts";
import type { RequestFlow } from "./request-spec.ts";

/**
 * What the scenarios read from: the data already in the API, discovered through the
 * API itself so the load tests do not depend on how the seed was made. Lists keep the
 * API's order (newest articles first, tags as /api/tags returns them), which is the
 * popularity order the Zipf sampling assumes.
 */
export interface SeedData {
  tags: string[];
  slugs: string[];
  /** Authors of the discovered articles, in order of first appearance. */
  usernames: string[];
  /** All articles the API holds, not only the discovered ones: it sizes the page range. */
  articlesCount: number;
}

export interface DiscoveryOptions {
  /** Discovery stops after this many articles (pages of 100). */
  maxArticles: number;
}

const pageLimit = 100;

export function* discoverSeedData(options: DiscoveryOptions): RequestFlow<SeedData> {
  const tagsRequest = conduitRequests.listTags();
  const tagsResponse = yield tagsRequest;
  expectStatus(tagsRequest, tagsResponse, [200]);
  const tags = stringsOf(parseObject(tagsRequest, tagsResponse).tags);

  const slugs: string[] = [];
  const usernames = new Set<string>();
  let articlesCount = 0;
  for (let offset = 0; offset < options.maxArticles; offset += pageLimit) {
    const limit = Math.min(pageLimit, options.maxArticles - offset);
    const pageRequest = conduitRequests.listArticles({ limit, offset });
    const pageResponse = yield pageRequest;
    expectStatus(pageRequest, pageResponse, [200]);
    const page = parseObject(pageRequest, pageResponse);
    articlesCount = typeof page.articlesCount === "number" ? page.articlesCount : 0;
    const articles = Array.isArray(page.articles) ? page.articles.filter(isRecord) : [];
    for (const article of articles) {
      if (typeof article.slug === "string") slugs.push(article.slug);
      const author = isRecord(article.author) ? article.author.username : undefined;
      if (typeof author === "string") usernames.add(author);
    }
    if (articles.length < limit) break;
  }

  if (slugs.length === 0) {
    throw new Error("the API holds no articles: seed it first (npm run seed), then run the load test");
  }
  return { tags, slugs, usernames: [...usernames], articlesCount: Math.max(articlesCount, slugs.length) };
}
