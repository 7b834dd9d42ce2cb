/** Enough of the Dockerfile grammar to check ours: continuations, comments, ARG, stages. */

export interface DockerInstruction {
  keyword: string;
  /** The arguments as written, continuations joined. */
  args: string;
}

export interface DockerStage {
  /** The image after ARG defaults are substituted. */
  image: string;
  name: string | undefined;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  globalArgs: Record<string, string>;
  stages: DockerStage[];
}

const logicalLines = (text: string): string[] => {
  const lines: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const complete = (pending + line).trim();
    pending = "";
    if (complete !== "") lines.push(complete);
  }
  if (pending.trim() !== "") lines.push(pending.trim());
  return lines;
};

const substituteArgs = (value: string, args: Record<string, string>) =>
  value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced, bare) => {
    const substituted = args[braced ?? bare];
    if (substituted === undefined) throw new Error(`ARG ${braced ?? bare} has no default (in ${match})`);
    return substituted;
  });

export const parseDockerfile = (text: string): ParsedDockerfile => {
  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of logicalLines(text)) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    const current = stages.at(-1);
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = args.replace(/--platform=\S+\s+/, "").split(/\s+/);
      stages.push({
        image: substituteArgs(image, globalArgs),
        name: as?.toUpperCase() === "AS" ? name : undefined,
        instructions: [],
      });
    } else if (current) {
      current.instructions.push(instruction);
    } else if (instruction.keyword === "ARG") {
      const [name = "", value] = args.split("=", 2);
      if (value !== undefined) globalArgs[name] = value;
    }
  }
  return { globalArgs, stages };
};

/** Exec-form (JSON array) arguments, or undefined for shell form. */
export const execForm = (args: string): string[] | undefined => {
  if (!args.startsWith("[")) return undefined;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((word) => typeof word === "string") ? parsed : undefined;
};
