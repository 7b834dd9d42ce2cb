DROP INDEX "articles_created_at_idx";--> statement-breakpoint
DROP INDEX "articles_author_created_at_idx";--> statement-breakpoint
DROP INDEX "tags_popularity_idx";--> statement-breakpoint
CREATE INDEX "articles_created_at_idx" ON "articles" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "articles_author_created_at_idx" ON "articles" USING btree ("author_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tags_popularity_idx" ON "tags" USING btree ("article_count" DESC NULLS FIRST,"name");