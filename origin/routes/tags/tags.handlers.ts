import { desc, gt } from "drizzle-orm";
import type { RouteHandlers } from "../../../shared/app/app-env.ts";
import { tags } from "../../db/schema.ts";
import type { OriginDeps } from "../../origin-deps.ts";

/** Enough for any tag cloud; the popularity index makes this a short index scan. */
const maxTags = 1_000;

export const createTagHandlers = ({ db }: OriginDeps): Pick<RouteHandlers, "listTags"> => ({
  listTags: async (c) => {
    const rows = await db
      .select({ name: tags.name })
      .from(tags)
      .where(gt(tags.articleCount, 0))
      .orderBy(desc(tags.articleCount), tags.name)
      .limit(maxTags);
    return c.json({ tags: rows.map((row) => row.name) }, 200);
  },
});
