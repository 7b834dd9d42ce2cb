import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";

/** Reading the ops files the way their tools would: relative paths, YAML, multi-document YAML. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const repoPath = (...segments: string[]) => join(repoRoot, ...segments);

export const readRepoText = (...segments: string[]) => readFileSync(repoPath(...segments), "utf8");

export const repoPathExists = (...segments: string[]) => existsSync(repoPath(...segments));

export const readYaml = <T>(path: string): T => parse(readFileSync(path, "utf8")) as T;

export const readYamlDocuments = (path: string): unknown[] => {
  const documents = parseAllDocuments(readFileSync(path, "utf8"));
  if (!Array.isArray(documents)) return [];
  return documents
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message}`);
      return document.toJS() as unknown;
    })
    .filter((object) => object !== null && object !== undefined);
};
