import { inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { counters, tags } from "../../db/schema.ts";

/**
 * Counters the article lists read instead of counting rows: articles per tag and articles
 * in all. They change inside the article's own transaction, so they are exact whenever the
 * article rows are; the price is a row lock per tag (and on the total) until commit.
 */
type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];

export const articleTotalCounter = "articles";

/** Names are sorted so concurrent writers lock tag rows in the same order. */
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

/** Taken after the tag locks, in every writer, so two writers never wait on each other in a cycle. */
export const adjustArticleTotal = async (tx: Transaction, delta: 1 | -1) => {
  await tx
    .insert(counters)
    .values({ name: articleTotalCounter, value: Math.max(delta, 0) })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`greatest(${counters.value} + ${delta}, 0)` } });
};

export const tagChanges = (before: readonly string[], after: readonly string[]) => ({
  added: after.filter((tag) => !before.includes(tag)),
  removed: before.filter((tag) => !after.includes(tag)),
});
