import { conduitRequests } from "./conduit-requests.ts";
import type { Random, RequestSpec } from "./request-spec.ts";
import type { SeedData } from "./seed-data.ts";
import { type Weights, weightedChooser } from "./weighted-choice.ts";
import { zipfPicker, zipfSampler } from "./zipf.ts";

/**
 * Anonymous readers: the traffic an edge cache exists for. Weights are percentages of
 * requests; articles, tags, authors and pages are drawn Zipf-distributed, most popular
 * (newest, first page) first.
 */
export const browseWeights = {
  listArticles: 25,
  listArticlesByTag: 20,
  getArticle: 30,
  listComments: 15,
  getProfile: 7,
  listTags: 3,
} as const satisfies Weights<string>;

export type BrowseRequestName = keyof typeof browseWeights;

/** The page size of the RealWorld front end. */
export const pageSize = 10;
/** Deep pages are rare enough that a hundred covers the tail. */
const maxPages = 100;
const tagPages = 3;

export interface PopularityOptions {
  zipfExponent: number;
}

/** Draws the popular items of the seed data; shared by the anonymous and logged-in mixes. */
export const popularity = (data: SeedData, options: PopularityOptions) => {
  const pages = Math.max(1, Math.min(maxPages, Math.ceil(data.articlesCount / pageSize)));
  const page = zipfSampler(pages, options.zipfExponent);
  const tagPage = zipfSampler(tagPages, options.zipfExponent);
  const tags = data.tags.length > 0 ? data.tags : [""];
  return {
    slug: zipfPicker(data.slugs, options.zipfExponent),
    username: zipfPicker(data.usernames.length > 0 ? data.usernames : [""], options.zipfExponent),
    tag: zipfPicker(tags, options.zipfExponent),
    pageOffset: (random: Random) => page.sample(random) * pageSize,
    tagPageOffset: (random: Random) => tagPage.sample(random) * pageSize,
  };
};

export type Popularity = ReturnType<typeof popularity>;

export const createBrowseMix = (data: SeedData, options: PopularityOptions) => {
  const popular = popularity(data, options);
  const choose = weightedChooser(browseWeights);
  const builders: Record<BrowseRequestName, (random: Random) => RequestSpec> = {
    listArticles: (random) => conduitRequests.listArticles({ limit: pageSize, offset: popular.pageOffset(random) }),
    listArticlesByTag: (random) =>
      conduitRequests.listArticles({
        tag: popular.tag(random),
        limit: pageSize,
        offset: popular.tagPageOffset(random),
      }),
    getArticle: (random) => conduitRequests.getArticle(popular.slug(random)),
    listComments: (random) => conduitRequests.listComments(popular.slug(random)),
    getProfile: (random) => conduitRequests.getProfile(popular.username(random)),
    listTags: () => conduitRequests.listTags(),
  };
  return {
    next: (random: Random): RequestSpec => {
      const name = choose(random);
      return { ...builders[name](random), name };
    },
  };
};
