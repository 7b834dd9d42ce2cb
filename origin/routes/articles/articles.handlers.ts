import { eq } from "drizzle-orm";
import { type RouteHandlers, requireAuth } from "../../../shared/app/app-env.ts";
import { AppError } from "../../../shared/errors/app-error.ts";
import type { NewArticleInput } from "../../../shared/schemas/article.schemas.ts";
import type { Db } from "../../db/client.ts";
import { isUniqueViolation, withTransactionRetry } from "../../db/postgres-errors.ts";
import { articles } from "../../db/schema.ts";
import type { OriginDeps } from "../../origin-deps.ts";
import { adjustArticleTotal, adjustTagCounts, tagChanges } from "./article-counters.ts";
import { type ArticleView, findArticleView, listArticleViews } from "./article-views.ts";
import { slugify, slugWithSuffix } from "./slug.ts";

type ArticleHandlers = Pick<
  RouteHandlers,
  "listArticles" | "feedArticles" | "getArticle" | "createArticle" | "updateArticle" | "deleteArticle"
>;

const maxSlugAttempts = 5;

/**
 * Tries the plain slug first, then random suffixes. The unique index decides races between
 * concurrent creates; the loser retries with a new candidate.
 */
const withUniqueSlug = async <T>(title: string, write: (slug: string) => Promise<T>): Promise<T> => {
  const base = slugify(title);
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(attempt === 0 ? base : slugWithSuffix(base));
    } catch (error) {
      if (attempt + 1 >= maxSlugAttempts || !isUniqueViolation(error, "articles_slug_key")) throw error;
    }
  }
};

const insertArticle = (db: Db, authorId: number, input: NewArticleInput) =>
  withUniqueSlug(input.title, (slug) =>
    withTransactionRetry(() =>
      db.transaction(async (tx) => {
        const tagList = input.tagList ?? [];
        const [created] = await tx
          .insert(articles)
          .values({ slug, title: input.title, description: input.description, body: input.body, tagList, authorId })
          .returning({ slug: articles.slug });
        await adjustTagCounts(tx, tagList, []);
        await adjustArticleTotal(tx, 1);
        return created?.slug ?? slug;
      }),
    ),
  );

const articleOrNotFound = async (db: Db, slug: string, viewerId: number | null): Promise<ArticleView> => {
  const view = await findArticleView(db, slug, viewerId);
  if (!view) throw new AppError("articleNotFound");
  return view;
};

const ownArticle = async (db: Db, slug: string, userId: number): Promise<ArticleView> => {
  const view = await articleOrNotFound(db, slug, userId);
  if (view.authorId !== userId) throw new AppError("articleForbidden");
  return view;
};

export const createArticleHandlers = ({ db }: OriginDeps): ArticleHandlers => ({
  listArticles: async (c) => {
    const { tag, author, favorited, limit, offset } = c.req.valid("query");
    const viewerId = c.get("auth")?.userId ?? null;
    const list = await listArticleViews(db, { tag, author, favoritedBy: favorited }, { limit, offset }, viewerId);
    return c.json(list, 200);
  },

  feedArticles: async (c) => {
    const { userId } = requireAuth(c.get("auth"));
    const { limit, offset } = c.req.valid("query");
    return c.json(await listArticleViews(db, { followedBy: userId }, { limit, offset }, userId), 200);
  },

  getArticle: async (c) => {
    const view = await articleOrNotFound(db, c.req.valid("param").slug, c.get("auth")?.userId ?? null);
    return c.json({ article: view.article }, 200);
  },

  createArticle: async (c) => {
    const { userId } = requireAuth(c.get("auth"));
    const slug = await insertArticle(db, userId, c.req.valid("json").article);
    const view = await articleOrNotFound(db, slug, userId);
    return c.json({ article: view.article }, 201);
  },

  updateArticle: async (c) => {
    const { userId } = requireAuth(c.get("auth"));
    const changes = c.req.valid("json").article;
    const current = await ownArticle(db, c.req.valid("param").slug, userId);
    const titleChanged = changes.title !== undefined && slugify(changes.title) !== slugify(current.article.title);
    const update = (slug: string) =>
      withTransactionRetry(() =>
        db.transaction(async (tx) => {
          await tx
            .update(articles)
            .set({
              slug,
              title: changes.title,
              description: changes.description,
              body: changes.body,
              tagList: changes.tagList,
              updatedAt: new Date(),
            })
            .where(eq(articles.id, current.id));
          if (changes.tagList !== undefined) {
            const { added, removed } = tagChanges(current.article.tagList, changes.tagList);
            await adjustTagCounts(tx, added, removed);
          }
          return slug;
        }),
      );
    // Only a new title earns a new slug: links to an article survive edits of its body.
    const slug =
      titleChanged && changes.title !== undefined
        ? await withUniqueSlug(changes.title, update)
        : await update(current.article.slug);
    const view = await articleOrNotFound(db, slug, userId);
    return c.json({ article: view.article }, 200);
  },

  deleteArticle: async (c) => {
    const { userId } = requireAuth(c.get("auth"));
    const current = await ownArticle(db, c.req.valid("param").slug, userId);
    await withTransactionRetry(() =>
      db.transaction(async (tx) => {
        await tx.delete(articles).where(eq(articles.id, current.id));
        await adjustTagCounts(tx, [], current.article.tagList);
        await adjustArticleTotal(tx, -1);
      }),
    );
    return c.body(null, 204);
  },
});
