import { and, asc, eq, sql } from "drizzle-orm";
import { type RouteHandlers, requireAuth } from "../../../shared/app/app-env.ts";
import { AppError } from "../../../shared/errors/app-error.ts";
import type { Comment } from "../../../shared/schemas/comment.schemas.ts";
import type { Db } from "../../db/client.ts";
import { postgresIntegerMax } from "../../db/postgres-limits.ts";
import { articles, comments, follows, users } from "../../db/schema.ts";
import type { OriginDeps } from "../../origin-deps.ts";

type CommentHandlers = Pick<RouteHandlers, "listComments" | "createComment" | "deleteComment">;

const articleIdOf = async (db: Db, slug: string): Promise<number> => {
  const [row] = await db.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug));
  if (!row) throw new AppError("articleNotFound");
  return row.id;
};

/** Comments with their authors and the viewer's `following`, oldest first, in one query. */
const commentViews = async (db: Db, where: ReturnType<typeof eq>, viewerId: number | null): Promise<Comment[]> => {
  const following = viewerId
    ? sql<boolean>`exists (select 1 from ${follows} where ${follows.followerId} = ${viewerId} and ${follows.followeeId} = ${comments.authorId})`
    : sql<boolean>`false`;
  const rows = await db
    .select({
      id: comments.id,
      body: comments.body,
      createdAt: comments.createdAt,
      updatedAt: comments.updatedAt,
      username: users.username,
      bio: users.bio,
      image: users.image,
      following,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(where)
    .orderBy(asc(comments.id));
  return rows.map((row) => ({
    id: row.id,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    author: { username: row.username, bio: row.bio, image: row.image, following: row.following },
  }));
};

export const createCommentHandlers = ({ db }: OriginDeps): CommentHandlers => ({
  listComments: async (c) => {
    const articleId = await articleIdOf(db, c.req.valid("param").slug);
    const viewerId = c.get("auth")?.userId ?? null;
    return c.json({ comments: await commentViews(db, eq(comments.articleId, articleId), viewerId) }, 200);
  },

  createComment: async (c) => {
    const { userId } = requireAuth(c.get("auth"));
    const articleId = await articleIdOf(db, c.req.valid("param").slug);
    const [created] = await db
      .insert(comments)
      .values({ articleId, authorId: userId, body: c.req.valid("json").comment.body })
      .returning({ id: comments.id });
    if (!created) throw new Error("insert into comments returned no row");
    const [comment] = await commentViews(db, eq(comments.id, created.id), userId);
    if (!comment) throw new AppError("commentNotFound");
    return c.json({ comment }, 201);
  },

  deleteComment: async (c) => {
    const { userId } = requireAuth(c.get("auth"));
    const { slug, id } = c.req.valid("param");
    const articleId = await articleIdOf(db, slug);
    if (id > postgresIntegerMax) throw new AppError("commentNotFound");
    const [comment] = await db
      .select({ authorId: comments.authorId })
      .from(comments)
      .where(and(eq(comments.id, id), eq(comments.articleId, articleId)));
    if (!comment) throw new AppError("commentNotFound");
    if (comment.authorId !== userId) throw new AppError("commentForbidden");
    await db.delete(comments).where(eq(comments.id, id));
    return c.body(null, 204);
  },
});
