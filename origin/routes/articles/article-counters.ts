import { inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { tags } from "../../db/schema.ts";

type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Keeps `tags.article_count` in step with the articles, inside the article's transaction.
 * Names are sorted so concurrent writers lock tag rows in the same order.
 */
export const adjustTagCounts = async (tx: Transaction, added: readonly string[], removed: readonly string[]) => {
  const toAdd = [...new Set(added)].sort();
  const toRemove = [...new Set(removed)].sort();
  if (toAdd.length > 0) {
    await tx
      .insert(tags)
      .values(toAdd.map((name) => ({ name, articleCount: 1 })))
      .onConflictDoUpdate({ target: tags.name, set: { articleCount: sql`${tags.articleCount} + 1` } });
  }
  if (toRemove.length > 0) {
    await tx
      .update(tags)
      .set({ articleCount: sql`greatest(${tags.articleCount} - 1, 0)` })
      .where(inArray(tags.name, toRemove));
  }
};

export const tagChanges = (before: readonly string[], after: readonly string[]) => ({
  added: after.filter((tag) => !before.includes(tag)),
  removed: before.filter((tag) => !after.includes(tag)),
});
