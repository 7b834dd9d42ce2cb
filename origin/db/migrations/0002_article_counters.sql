CREATE TABLE "counters" (
	"name" text PRIMARY KEY NOT NULL,
	"value" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Existing databases start with the true total; from here on, article writes keep it.
INSERT INTO "counters" ("name", "value") SELECT 'articles', count(*) FROM "articles";
