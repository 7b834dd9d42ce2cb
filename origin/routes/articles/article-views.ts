import { and, count, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Article, ArticleListItem, MultipleArticles } from "../../../shared/schemas/article.schemas.ts";
import type { Db } from "../../db/client.ts";
import { articles, counters, favorites, follows, tags, users } from "../../db/schema.ts";
import { articleTotalCounter } from "./article-counters.ts";

/**
 * Reads articles as the API shows them, always in a fixed number of queries: the page
 * (author and the viewer's flags joined in) and its total count, whatever the limit.
 */
export interface ArticleFilter {
  tag?: string | undefined;
  author?: string | undefined;
  favoritedBy?: string | undefined;
  followedBy?: number | undefined;
}

export interface Page {
  limit: number;
  offset: number;
}

/** The viewer's flags cost two index probes per row; anonymous readers skip them. */
const viewerFlags = (viewerId: number | null) => ({
  favorited: viewerId
    ? sql<boolean>`exists (select 1 from ${favorites} where ${favorites.userId} = ${viewerId} and ${favorites.articleId} = ${articles.id})`
    : sql<boolean>`false`,
  following: viewerId
    ? sql<boolean>`exists (select 1 from ${follows} where ${follows.followerId} = ${viewerId} and ${follows.followeeId} = ${articles.authorId})`
    : sql<boolean>`false`,
});

const listColumns = (viewerId: number | null) => ({
  id: articles.id,
  slug: articles.slug,
  title: articles.title,
  description: articles.description,
  tagList: articles.tagList,
  createdAt: articles.createdAt,
  updatedAt: articles.updatedAt,
  favoritesCount: articles.favoritesCount,
  authorUsername: users.username,
  authorBio: users.bio,
  authorImage: users.image,
  ...viewerFlags(viewerId),
});

interface ListRow {
  slug: string;
  title: string;
  description: string;
  tagList: string[];
  createdAt: Date;
  updatedAt: Date;
  favoritesCount: number;
  authorUsername: string;
  authorBio: string | null;
  authorImage: string | null;
  favorited: boolean;
  following: boolean;
}

const toListItem = (row: ListRow): ArticleListItem => ({
  slug: row.slug,
  title: row.title,
  description: row.description,
  tagList: row.tagList,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  favorited: row.favorited,
  favoritesCount: row.favoritesCount,
  author: { username: row.authorUsername, bio: row.authorBio, image: row.authorImage, following: row.following },
});

const filterConditions = (db: Db, filter: ArticleFilter): SQL[] => {
  const conditions: SQL[] = [];
  if (filter.tag !== undefined) conditions.push(sql`${articles.tagList} @> array[${filter.tag}]::text[]`);
  if (filter.author !== undefined) {
    conditions.push(
      inArray(articles.authorId, db.select({ id: users.id }).from(users).where(eq(users.username, filter.author))),
    );
  }
  if (filter.favoritedBy !== undefined) {
    const favoritedIds = db
      .select({ id: favorites.articleId })
      .from(favorites)
      .innerJoin(users, eq(users.id, favorites.userId))
      .where(eq(users.username, filter.favoritedBy));
    conditions.push(inArray(articles.id, favoritedIds));
  }
  if (filter.followedBy !== undefined) {
    const followees = db
      .select({ id: follows.followeeId })
      .from(follows)
      .where(eq(follows.followerId, filter.followedBy));
    conditions.push(inArray(articles.authorId, followees));
  }
  return conditions;
};

export const listArticleViews = async (
  db: Db,
  filter: ArticleFilter,
  page: Page,
  viewerId: number | null,
): Promise<MultipleArticles> => {
  const where = and(...filterConditions(db, filter));
  // The page is chosen first, from articles alone, so authors and flags are joined for the
  // page's rows only: joined before the limit, the planner may hash all users for 20 rows.
  const pageIds = isFeed(filter) ? feedPageIds(db, filter.followedBy, page) : filteredPageIds(db, where, page);
  const [rows, total] = await Promise.all([
    db
      .select(listColumns(viewerId))
      .from(pageIds)
      .innerJoin(articles, eq(articles.id, pageIds.id))
      .innerJoin(users, eq(users.id, articles.authorId))
      .orderBy(desc(articles.createdAt), desc(articles.id)),
    countMatching(db, filter, where),
  ]);
  return { articles: rows.map(toListItem), articlesCount: total };
};

const isFeed = (filter: ArticleFilter): filter is ArticleFilter & { followedBy: number } =>
  filter.followedBy !== undefined &&
  filter.tag === undefined &&
  filter.author === undefined &&
  filter.favoritedBy === undefined;

const filteredPageIds = (db: Db, where: SQL | undefined, page: Page) =>
  db
    .select({ id: articles.id })
    .from(articles)
    .where(where)
    .orderBy(desc(articles.createdAt), desc(articles.id))
    .limit(page.limit)
    .offset(page.offset)
    .as("page");

/**
 * The feed's page: the newest articles of each followed author (one short walk of
 * articles_author_created_at_idx per author), merged. Filtering the whole newest-first index
 * by "is the author followed" instead reads until it has found a page: for a reader who
 * follows a few quiet authors, most of the table.
 */
const feedPageIds = (db: Db, followerId: number, page: Page) => {
  const newestOfAuthor = db
    .select({ id: articles.id, createdAt: articles.createdAt })
    .from(articles)
    .where(eq(articles.authorId, follows.followeeId))
    .orderBy(desc(articles.createdAt), desc(articles.id))
    .limit(page.offset + page.limit)
    .as("newest_of_author");
  return db
    .select({ id: newestOfAuthor.id })
    .from(follows)
    .crossJoinLateral(newestOfAuthor)
    .where(eq(follows.followerId, followerId))
    .orderBy(desc(newestOfAuthor.createdAt), desc(newestOfAuthor.id))
    .limit(page.limit)
    .offset(page.offset)
    .as("page");
};

/**
 * No filter, or a tag alone, is answered from a counter (article-counters.ts) that the
 * articles' own transactions keep exact: counting the rows would read the whole table, or
 * a popular tag's fifth of it, on every home page.
 */
const countMatching = async (db: Db, filter: ArticleFilter, where: SQL | undefined): Promise<number> => {
  const others = [filter.author, filter.favoritedBy, filter.followedBy].some((value) => value !== undefined);
  if (!others && filter.tag === undefined) {
    const [row] = await db
      .select({ total: counters.value })
      .from(counters)
      .where(eq(counters.name, articleTotalCounter));
    return row?.total ?? 0;
  }
  if (!others) {
    const [row] = await db
      .select({ total: tags.articleCount })
      .from(tags)
      .where(eq(tags.name, filter.tag ?? ""));
    return row?.total ?? 0;
  }
  const [row] = await db.select({ total: count() }).from(articles).where(where);
  return row?.total ?? 0;
};
export interface ArticleView {
  id: number;
  authorId: number;
  article: Article;
}

/** One article with its body, author and the viewer's flags; `undefined` when the slug is unknown. */
export const findArticleView = async (
  db: Db,
  slug: string,
  viewerId: number | null,
): Promise<ArticleView | undefined> => {
  const [row] = await db
    .select({ ...listColumns(viewerId), body: articles.body, authorId: articles.authorId })
    .from(articles)
    .innerJoin(users, eq(users.id, articles.authorId))
    .where(eq(articles.slug, slug))
    .limit(1);
  if (!row) return undefined;
  return { id: row.id, authorId: row.authorId, article: { ...toListItem(row), body: row.body } };
};
