import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
};

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    email: text("email").notNull(),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    bio: text("bio"),
    image: text("image"),
    ...timestamps,
  },
  (table) => [
    // Emails compare case-insensitively; usernames are path segments and compare exactly.
    uniqueIndex("users_email_lower_key").on(sql`lower(${table.email})`),
    uniqueIndex("users_username_key").on(table.username),
  ],
);

export const follows = pgTable(
  "follows",
  {
    followerId: integer("follower_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    followeeId: integer("followee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  // (follower, followee) serves the feed ("whom do I follow") and the `following` flag.
  (table) => [primaryKey({ columns: [table.followerId, table.followeeId] })],
);

export const articles = pgTable(
  "articles",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    body: text("body").notNull(),
    // Kept in the order the author gave; lists read it without a join.
    tagList: text("tag_list").array().notNull().default(sql`'{}'::text[]`),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Counted in the same transaction as the favorite row, so lists never count rows.
    favoritesCount: integer("favorites_count").notNull().default(0),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("articles_slug_key").on(table.slug),
    // Newest first, with id as the tie-breaker so pages never overlap. NULLS FIRST is what
    // `ORDER BY ... DESC` means: an index ordered otherwise would never serve the query.
    index("articles_created_at_idx").on(table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    // Author pages and the feed: newest articles of a set of authors.
    index("articles_author_created_at_idx").on(
      table.authorId,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    index("articles_tag_list_gin_idx").using("gin", table.tagList),
    check("articles_favorites_count_nonnegative", sql`${table.favoritesCount} >= 0`),
  ],
);

export const favorites = pgTable(
  "favorites",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    // (user, article) answers `favorited=<user>` lists and the `favorited` flag.
    primaryKey({ columns: [table.userId, table.articleId] }),
    index("favorites_article_idx").on(table.articleId),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: serial("id").primaryKey(),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    ...timestamps,
  },
  (table) => [index("comments_article_idx").on(table.articleId, table.id)],
);

/** How many articles use each tag, kept in step with `articles.tag_list` by the repository. */
export const tags = pgTable(
  "tags",
  {
    name: text("name").primaryKey(),
    articleCount: integer("article_count").notNull().default(0),
  },
  (table) => [index("tags_popularity_idx").on(table.articleCount.desc().nullsFirst(), table.name)],
);

/**
 * Totals that would otherwise cost a scan per request, kept in step by the transaction
 * that changes them. `articles` is the home page's `articlesCount`.
 */
export const counters = pgTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull().default(0),
});
