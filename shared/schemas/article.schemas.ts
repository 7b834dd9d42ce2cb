import { z } from "@hono/zod-openapi";
import {
  envelope,
  objectOf,
  optionalText,
  paginationQuery,
  requiredText,
  storableString,
  tagListField,
} from "./field-rules.ts";
import { profileSchema } from "./user.schemas.ts";

export const articleLimits = { title: 256, description: 1_024, body: 100_000 } as const;

export const newArticleRequest = envelope(
  "article",
  objectOf({
    title: requiredText(articleLimits.title),
    description: requiredText(articleLimits.description),
    body: requiredText(articleLimits.body),
    tagList: tagListField.optional(),
  }),
).openapi("NewArticleRequest");

export const updateArticleRequest = envelope(
  "article",
  objectOf({
    title: optionalText(articleLimits.title),
    description: optionalText(articleLimits.description),
    body: optionalText(articleLimits.body),
    tagList: tagListField.optional(),
  }),
).openapi("UpdateArticleRequest");

export type NewArticleInput = z.infer<typeof newArticleRequest>["article"];
export type UpdateArticleInput = z.infer<typeof updateArticleRequest>["article"];

const filterText = requiredText(256).optional();

export const articleListQuery = z.object({
  tag: filterText.openapi({ param: { name: "tag", in: "query" } }),
  author: filterText.openapi({ param: { name: "author", in: "query" } }),
  favorited: filterText.openapi({ param: { name: "favorited", in: "query" } }),
  ...paginationQuery,
});
export type ArticleListQuery = z.infer<typeof articleListQuery>;

export const feedQuery = z.object(paginationQuery);
export type FeedQuery = z.infer<typeof feedQuery>;

export const slugParams = z.object({
  slug: storableString()
    .max(512)
    .openapi({ param: { name: "slug", in: "path" } }),
});

const articleFields = {
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  tagList: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  favorited: z.boolean(),
  favoritesCount: z.number().int(),
  author: profileSchema,
};

export const articleSchema = z.object({ ...articleFields, body: z.string() }).openapi("Article");
/** List items leave `body` out (spec v2.0): lists stay small whatever the articles hold. */
export const articleListItemSchema = z.object(articleFields).openapi("ArticleListItem");

export const singleArticleResponse = z.object({ article: articleSchema }).openapi("SingleArticleResponse");
export const multipleArticlesResponse = z
  .object({ articles: z.array(articleListItemSchema), articlesCount: z.number().int() })
  .openapi("MultipleArticlesResponse");

export type Article = z.infer<typeof articleSchema>;
export type ArticleListItem = z.infer<typeof articleListItemSchema>;
export type MultipleArticles = z.infer<typeof multipleArticlesResponse>;

export const tagsResponse = z.object({ tags: z.array(z.string()) }).openapi("TagsResponse");
