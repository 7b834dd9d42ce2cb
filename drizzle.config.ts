import { defineConfig } from "drizzle-kit";

// Generation only compares the schema with the committed migrations; it needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./origin/db/schema.ts",
  out: "./origin/db/migrations",
});
