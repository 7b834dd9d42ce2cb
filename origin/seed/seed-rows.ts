import type { Faker } from "@faker-js/faker";
import { slugify } from "../routes/articles/slug.ts";
import type { CopyValue } from "./copy-text.ts";
import type { SeedPlan } from "./seed-plan.ts";
import { seededFaker, skewedIndex } from "./seed-random.ts";

/**
 * Row generators for each table, in COPY column order. Ids are assigned here (1..n), so
 * rows can refer to each other without reading anything back; timestamps fall in a fixed
 * window, never "now", so the same plan always makes the same rows.
 */
const windowStart = Date.UTC(2024, 0, 1);
const windowMs = 2 * 365 * 24 * 3600 * 1000;
const commentDelayMaxMs = 14 * 24 * 3600 * 1000;
const tagVocabularySize = 200;
const maxTagsPerArticle = 4;

/** Article ids grow with time, so "newest first" is "highest id first". */
const articleCreatedAt = (id: number, articles: number) =>
  new Date(windowStart + Math.floor(((id - 0.5) / articles) * windowMs));

/** Popularity rank 0 is the newest article: what a reader sees first is what gets favorited. */
const popularArticle = (faker: Faker, articles: number) => articles - skewedIndex(faker, articles);

/**
 * Which users write the most: rank to id through a fixed stride coprime with the count,
 * so prolific authors are spread over the id range instead of being the first sign-ups.
 */
const authorByRank = (users: number) => {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = 7_919 % users || 1;
  while (gcd(stride, users) !== 1) stride++;
  return (rank: number) => ((rank * stride) % users) + 1;
};

export const userColumns = ["id", "email", "username", "password_hash", "bio", "image", "created_at", "updated_at"];

export function* userRows(plan: SeedPlan, passwordHash: string): Generator<CopyValue[]> {
  const faker = seededFaker(plan.seed, "users");
  for (let id = 1; id <= plan.users; id++) {
    // The id after the last underscore keeps names unique; faker's part keeps them readable.
    const username = `${faker.internet.username().replace(/[^\p{L}\p{N}._-]/gu, "")}_${id.toString(36)}`;
    const bio = faker.datatype.boolean(0.6) ? faker.person.bio() : null;
    const image = faker.datatype.boolean(0.5) ? faker.image.avatar() : null;
    const createdAt = new Date(windowStart + faker.number.int({ min: 0, max: windowMs }));
    yield [id, `user${id}@seed.conduit.test`, username, passwordHash, bio, image, createdAt, createdAt];
  }
}

/** Distinct (a, b) pairs drawn by `draw`, as two parallel id arrays. */
const distinctPairs = (count: number, draw: () => [number, number] | undefined) => {
  const seen = new Set<string>();
  const first = new Int32Array(count);
  const second = new Int32Array(count);
  while (seen.size < count) {
    const pair = draw();
    if (!pair) continue;
    const key = `${pair[0]}:${pair[1]}`;
    if (seen.has(key)) continue;
    first[seen.size] = pair[0];
    second[seen.size] = pair[1];
    seen.add(key);
  }
  return { first, second };
};

export interface FavoritePairs {
  userIds: Int32Array;
  articleIds: Int32Array;
  /** Index = article id; the articles table stores its count. */
  countByArticle: Int32Array;
}

export const favoritePairs = (plan: SeedPlan): FavoritePairs => {
  const faker = seededFaker(plan.seed, "favorites");
  const { first, second } = distinctPairs(plan.favorites, () => [
    faker.number.int({ min: 1, max: plan.users }),
    popularArticle(faker, plan.articles),
  ]);
  const countByArticle = new Int32Array(plan.articles + 1);
  for (const articleId of second) countByArticle[articleId] = (countByArticle[articleId] ?? 0) + 1;
  return { userIds: first, articleIds: second, countByArticle };
};

export const favoriteColumns = ["user_id", "article_id", "created_at"];

export function* favoriteRows(plan: SeedPlan, pairs: FavoritePairs): Generator<CopyValue[]> {
  for (let index = 0; index < pairs.userIds.length; index++) {
    const articleId = pairs.articleIds[index] ?? 1;
    yield [pairs.userIds[index] ?? 1, articleId, articleCreatedAt(articleId, plan.articles)];
  }
}

const tagVocabulary = (faker: Faker): string[] => {
  const words = new Set<string>();
  for (let attempt = 0; words.size < tagVocabularySize && attempt < tagVocabularySize * 20; attempt++) {
    words.add(faker.word.noun().toLowerCase());
  }
  return [...words];
};

export const articleColumns = [
  "id",
  "slug",
  "title",
  "description",
  "body",
  "tag_list",
  "author_id",
  "favorites_count",
  "created_at",
  "updated_at",
];

export function* articleRows(plan: SeedPlan, favoritesByArticle: Int32Array): Generator<CopyValue[]> {
  const faker = seededFaker(plan.seed, "articles");
  const vocabulary = tagVocabulary(faker);
  const author = authorByRank(plan.users);
  for (let id = 1; id <= plan.articles; id++) {
    const title = faker.company.catchPhrase();
    const tagCount = faker.number.int({ min: 0, max: maxTagsPerArticle });
    const tags = [
      ...new Set(Array.from({ length: tagCount }, () => vocabulary[skewedIndex(faker, vocabulary.length)] ?? "")),
    ];
    const createdAt = articleCreatedAt(id, plan.articles);
    yield [
      id,
      // The id after the last dash keeps slugs unique, as suffixes do for API-made slugs.
      `${slugify(title)}-${id.toString(36)}`,
      title,
      faker.lorem.sentence({ min: 6, max: 14 }),
      faker.lorem.paragraphs({ min: 2, max: 5 }, "\n\n"),
      tags,
      author(skewedIndex(faker, plan.users)),
      favoritesByArticle[id] ?? 0,
      createdAt,
      createdAt,
    ];
  }
}

export const commentColumns = ["id", "article_id", "author_id", "body", "created_at", "updated_at"];

export function* commentRows(plan: SeedPlan): Generator<CopyValue[]> {
  const faker = seededFaker(plan.seed, "comments");
  for (let id = 1; id <= plan.comments; id++) {
    const articleId = popularArticle(faker, plan.articles);
    const at = new Date(
      articleCreatedAt(articleId, plan.articles).getTime() + faker.number.int({ min: 0, max: commentDelayMaxMs }),
    );
    yield [
      id,
      articleId,
      faker.number.int({ min: 1, max: plan.users }),
      faker.lorem.sentences({ min: 1, max: 3 }),
      at,
      at,
    ];
  }
}

export const followColumns = ["follower_id", "followee_id"];

export function* followRows(plan: SeedPlan): Generator<CopyValue[]> {
  const faker = seededFaker(plan.seed, "follows");
  const author = authorByRank(plan.users);
  const { first, second } = distinctPairs(plan.follows, () => {
    const follower = faker.number.int({ min: 1, max: plan.users });
    const followee = author(skewedIndex(faker, plan.users));
    return follower === followee ? undefined : [follower, followee];
  });
  for (let index = 0; index < first.length; index++) yield [first[index] ?? 1, second[index] ?? 1];
}
