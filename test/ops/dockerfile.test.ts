import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { execForm, parseDockerfile } from "./dockerfile-parser.ts";
import { isPinnedImage } from "./image-reference.ts";
import { knownOriginEnvNames } from "./origin-environment.ts";
import { readRepoText, repoPath, repoPathExists, repoRoot } from "./repo-files.ts";

const dockerfile = parseDockerfile(readRepoText("Dockerfile"));
const finalStage = dockerfile.stages.at(-1);
const finalInstructions = (keyword: string) =>
  (finalStage?.instructions ?? []).filter((instruction) => instruction.keyword === keyword);

describe("the parser", () => {
  it("joins continuations, skips comments and substitutes global ARG defaults in FROM", () => {
    const parsed = parseDockerfile(
      ["ARG BASE=node:24.1.0-slim", "FROM $BASE AS build", "# a comment", "RUN a \\", "    b", "FROM scratch"].join(
        "\n",
      ),
    );
    expect(parsed.stages.map((stage) => [stage.image, stage.name])).toEqual([
      ["node:24.1.0-slim", "build"],
      ["scratch", undefined],
    ]);
    expect(parsed.stages[0]?.instructions).toEqual([{ keyword: "RUN", args: "a      b" }]);
  });
});

describe("Dockerfile of the origin", () => {
  it("is multi-stage and every FROM names a pinned image", () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of dockerfile.stages) {
      const earlierStage = dockerfile.stages.some((other) => other.name === stage.image);
      if (!earlierStage) expect(isPinnedImage(stage.image), stage.image).toBe(true);
    }
  });

  it("runs on a slim Node image of the major version in .nvmrc", () => {
    const major = readRepoText(".nvmrc").trim();
    expect(finalStage?.image).toMatch(new RegExp(`^node:${major}\\.\\d+\\.\\d+-\\w+-slim$`));
  });

  it("installs production dependencies only, from the lockfile", () => {
    const installs = dockerfile.stages
      .flatMap((stage) => stage.instructions)
      .filter((instruction) => instruction.keyword === "RUN" && /\bnpm ci\b/.test(instruction.args));
    expect(installs).not.toHaveLength(0);
    for (const install of installs) expect(install.args).toMatch(/--omit=dev\b/);
    expect(
      dockerfile.stages.flatMap((stage) => stage.instructions).some((i) => /\bnpm (install|i)\b/.test(i.args)),
    ).toBe(false);
  });

  it("applies the fixes in patches/ to the installed dependencies, as npm install's postinstall does", () => {
    const stage = dockerfile.stages.find((candidate) =>
      candidate.instructions.some((instruction) => /\bnpm ci\b/.test(instruction.args)),
    );
    const copiesPatches = stage?.instructions.some(
      (instruction) => instruction.keyword === "COPY" && /^patches\/? /.test(instruction.args),
    );
    const install = stage?.instructions.find((instruction) => /\bnpm ci\b/.test(instruction.args));
    expect(copiesPatches).toBe(true);
    expect(install?.args).toMatch(/npm ci\b[^&]*&&\s*npx --no-install patch-package --error-on-fail/);
    const { scripts = {} } = JSON.parse(readRepoText("package.json")) as { scripts?: Record<string, string> };
    expect(scripts.postinstall).toBe("patch-package --error-on-fail");
  });

  it("runs as a non-root user in the final stage", () => {
    const user = finalInstructions("USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(user?.split(":")[0]).not.toMatch(/^(root|0)$/);
  });

  it("checks its health on /healthz with node, since the slim image has no curl", () => {
    const [healthcheck] = finalInstructions("HEALTHCHECK");
    expect(healthcheck).toBeDefined();
    const command = execForm(healthcheck?.args.replace(/^(--\S+\s+)*CMD\s+/, "") ?? "");
    expect(command?.[0]).toBe("node");
    expect(command?.join(" ")).toContain("/healthz");
    expect(healthcheck?.args).not.toMatch(/\b(curl|wget)\b/);
  });

  it("starts the cluster primary from the TypeScript entry, stopped by SIGTERM", () => {
    expect(execForm(finalInstructions("CMD").at(-1)?.args ?? "")).toEqual(["node", "origin/main.ts"]);
    expect(repoPathExists("origin/main.ts")).toBe(true);
    expect(finalInstructions("STOPSIGNAL").at(-1)?.args).toBe("SIGTERM");
  });

  it("sets only environment names the origin's config schema knows, and listens on all interfaces", () => {
    const env = Object.fromEntries(
      finalInstructions("ENV").flatMap((instruction) =>
        [...instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)].map(([, name, value]) => [name, value]),
      ),
    );
    expect(Object.keys(env).filter((name) => !knownOriginEnvNames.has(name))).toEqual([]);
    expect(env.HOST).toBe("0.0.0.0");
    expect(finalInstructions("EXPOSE").map((instruction) => instruction.args)).toContain(env.PORT);
  });

  it("copies only paths that exist, and never the whole build context", () => {
    for (const copy of finalInstructions("COPY").filter((instruction) => !instruction.args.includes("--from="))) {
      const sources = copy.args
        .split(/\s+/)
        .filter((word) => !word.startsWith("--"))
        .slice(0, -1);
      for (const source of sources) {
        expect(source, "COPY of the whole context").not.toBe(".");
        expect(repoPathExists(source), source).toBe(true);
      }
    }
  });
});

/** Files reachable from the entry by static imports, and the packages they import. */
const importGraph = (entry: string) => {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const [, specifier = ""] of source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else
        packages.add(
          specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? ""),
        );
    }
  };
  visit(repoPath(entry));
  return { files: [...files].map((file) => relative(repoRoot, file)), packages: [...packages] };
};

describe("the image's contents", () => {
  const graph = importGraph("origin/main.ts");
  const copiedDirectories = (finalStage?.instructions ?? [])
    .filter((instruction) => instruction.keyword === "COPY" && !instruction.args.includes("--from="))
    .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1));

  it("holds every source file the entry imports", () => {
    expect(graph.files.length).toBeGreaterThan(10);
    for (const file of graph.files) {
      expect(
        copiedDirectories.some((directory) => file.startsWith(`${directory.replace(/\/$/, "")}/`)),
        file,
      ).toBe(true);
    }
  });

  it("installs every package the entry imports as a production dependency", () => {
    const { dependencies = {} } = JSON.parse(readRepoText("package.json")) as { dependencies?: Record<string, string> };
    const builtins = new Set(builtinModules);
    for (const name of graph.packages) {
      if (name.startsWith("node:") || builtins.has(name)) continue;
      expect(Object.keys(dependencies), `${name} is imported at run time`).toContain(name);
    }
  });
});

describe(".dockerignore", () => {
  const patterns = readRepoText(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

  it("keeps local state and secrets out of the build context", () => {
    // Either everything is excluded and the needed paths re-included, or each is excluded by name.
    const allowList = patterns[0] === "**";
    const reincluded = patterns.filter((pattern) => pattern.startsWith("!")).map((pattern) => pattern.slice(1));
    for (const path of ["node_modules", ".git", ".data", ".env", "reports"]) {
      if (allowList) expect(reincluded.some((pattern) => path.startsWith(pattern))).toBe(false);
      else expect(patterns).toContain(path);
    }
  });

  it("lets in everything the Dockerfile copies from the context", () => {
    if (patterns[0] !== "**") return;
    const reincluded = patterns.filter((pattern) => pattern.startsWith("!")).map((pattern) => pattern.slice(1));
    const copied = dockerfile.stages
      .flatMap((stage) => stage.instructions)
      .filter((instruction) => instruction.keyword === "COPY" && !instruction.args.includes("--from="))
      .flatMap((copy) =>
        copy.args
          .split(/\s+/)
          .filter((word) => !word.startsWith("--"))
          .slice(0, -1),
      );
    for (const source of copied) expect(reincluded, source).toContain(source.replace(/\/$/, ""));
  });
});
