import { and, eq, sql } from "drizzle-orm";
import { type RouteHandlers, requireAuth } from "../../../shared/app/app-env.ts";
import { AppError } from "../../../shared/errors/app-error.ts";
import type { Db } from "../../db/client.ts";
import { articles, favorites, users } from "../../db/schema.ts";
import type { OriginDeps } from "../../origin-deps.ts";
import { findArticleView } from "../articles/article-views.ts";

type FavoriteHandlers = Pick<RouteHandlers, "favoriteArticle" | "unfavoriteArticle">;

/**
 * The favorite row and the article's counter change in one transaction, and the counter
 * moves only when a row was really inserted or deleted: repeats are harmless and
 * concurrent favorites by many users are counted exactly.
 */
const setFavorite = (db: Db, userId: number, articleId: number, favorite: boolean) =>
  db.transaction(async (tx) => {
    const changed = favorite
      ? await tx
          .insert(favorites)
          .values({ userId, articleId })
          .onConflictDoNothing()
          .returning({ id: favorites.articleId })
      : await tx
          .delete(favorites)
          .where(and(eq(favorites.userId, userId), eq(favorites.articleId, articleId)))
          .returning({ id: favorites.articleId });
    if (changed.length > 0) {
      await tx
        .update(articles)
        .set({ favoritesCount: sql`${articles.favoritesCount} + ${favorite ? 1 : -1}` })
        .where(eq(articles.id, articleId));
    }
  });

const usernameOf = async (db: Db, userId: number): Promise<string | undefined> => {
  const [row] = await db.select({ username: users.username }).from(users).where(eq(users.id, userId));
  return row?.username;
};

export const createFavoriteHandlers = ({ db }: OriginDeps): FavoriteHandlers => {
  const toggle = async (userId: number, slug: string, favorite: boolean) => {
    const before = await findArticleView(db, slug, userId);
    if (!before) throw new AppError("articleNotFound");
    await setFavorite(db, userId, before.id, favorite);
    const [after, actorUsername] = await Promise.all([findArticleView(db, slug, userId), usernameOf(db, userId)]);
    // Deleted between the two reads: report it as the reader would now see it.
    if (!after) throw new AppError("articleNotFound");
    return { article: after.article, actorUsername };
  };

  return {
    favoriteArticle: async (c) => {
      const { article, actorUsername } = await toggle(
        requireAuth(c.get("auth")).userId,
        c.req.valid("param").slug,
        true,
      );
      c.set("cacheSubjects", { actorUsername });
      return c.json({ article }, 200);
    },
    unfavoriteArticle: async (c) => {
      const { article, actorUsername } = await toggle(
        requireAuth(c.get("auth")).userId,
        c.req.valid("param").slug,
        false,
      );
      c.set("cacheSubjects", { actorUsername });
      return c.json({ article }, 200);
    },
  };
};
