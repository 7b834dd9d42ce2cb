import { type PopularityOptions, pageSize, popularity } from "./browse-mix.ts";
import { conduitRequests } from "./conduit-requests.ts";
import type { LoadUser } from "./load-users.ts";
import type { Random, RequestSpec } from "./request-spec.ts";
import type { SeedData } from "./seed-data.ts";
import { type Weights, weightedChooser } from "./weighted-choice.ts";
import { zipfSampler } from "./zipf.ts";

/**
 * Logged-in users: every read carries a token (so an edge cannot serve it from its
 * shared cache), and 10% of requests write. A login is rare: users keep their token.
 */
export const mixedWeights = {
  feedArticles: 18,
  listArticles: 22,
  getArticle: 27,
  listComments: 13,
  getProfile: 6,
  listTags: 3,
  login: 1,
  favoriteArticle: 4,
  createComment: 3.5,
  createArticle: 2.5,
} as const satisfies Weights<string>;

export type MixedRequestName = keyof typeof mixedWeights;

export const mixedWriteNames = [
  "favoriteArticle",
  "createComment",
  "createArticle",
] as const satisfies readonly MixedRequestName[];

const feedPages = 3;

const suffix = (random: Random): string => Math.floor(random() * 36 ** 8).toString(36);

/** About 1.2 KB of prose, the size of a short blog post. */
const articleBody = (random: Random): string =>
  `Load-test article ${suffix(random)}. ${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20)}`;

export const createMixedMix = (data: SeedData, options: PopularityOptions) => {
  const popular = popularity(data, options);
  const feedPage = zipfSampler(feedPages, options.zipfExponent);
  const choose = weightedChooser(mixedWeights);
  const newTags = (random: Random): string[] =>
    data.tags.length === 0 ? [] : [...new Set([popular.tag(random), popular.tag(random)])];
  const builders: Record<MixedRequestName, (random: Random, user: LoadUser) => RequestSpec> = {
    feedArticles: (random, user) =>
      conduitRequests.feedArticles({ limit: pageSize, offset: feedPage.sample(random) * pageSize }, user.token),
    listArticles: (random, user) =>
      conduitRequests.listArticles({ limit: pageSize, offset: popular.pageOffset(random) }, user.token),
    getArticle: (random, user) => conduitRequests.getArticle(popular.slug(random), user.token),
    listComments: (random, user) => conduitRequests.listComments(popular.slug(random), user.token),
    getProfile: (random, user) => conduitRequests.getProfile(popular.username(random), user.token),
    listTags: (_random, user) => conduitRequests.listTags(user.token),
    login: (_random, user) => conduitRequests.login(user.email, user.password),
    favoriteArticle: (random, user) => conduitRequests.favoriteArticle(popular.slug(random), user.token),
    createComment: (random, user) =>
      conduitRequests.createComment(popular.slug(random), `Load-test comment ${suffix(random)}`, user.token),
    createArticle: (random, user) =>
      conduitRequests.createArticle(
        {
          title: `Load test ${suffix(random)}`,
          description: "Written by the mixed load scenario",
          body: articleBody(random),
          tagList: newTags(random),
        },
        user.token,
      ),
  };
  return {
    next: (random: Random, user: LoadUser): RequestSpec => {
      const name = choose(random);
      return { ...builders[name](random, user), name };
    },
  };
};
