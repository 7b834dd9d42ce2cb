import { z } from "@hono/zod-openapi";
import { envelope, objectOf, requiredText, storableString } from "./field-rules.ts";
import { profileSchema } from "./user.schemas.ts";

export const newCommentRequest = envelope("comment", objectOf({ body: requiredText(10_000) })).openapi(
  "NewCommentRequest",
);
export type NewCommentInput = z.infer<typeof newCommentRequest>["comment"];

export const commentParams = z.object({
  slug: storableString()
    .max(512)
    .openapi({ param: { name: "slug", in: "path" } }),
  id: z
    .string()
    .regex(/^\d{1,15}$/, { error: "must be a positive integer" })
    .transform(Number)
    .openapi({ param: { name: "id", in: "path" }, type: "integer" }),
});

export const commentSchema = z
  .object({
    id: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    body: z.string(),
    author: profileSchema,
  })
  .openapi("Comment");

export const singleCommentResponse = z.object({ comment: commentSchema }).openapi("SingleCommentResponse");
export const multipleCommentsResponse = z
  .object({ comments: z.array(commentSchema) })
  .openapi("MultipleCommentsResponse");

export type Comment = z.infer<typeof commentSchema>;
