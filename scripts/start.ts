import path from "node:path";
import { fileURLToPath } from "node:url";
import { type LocalStack, startLocalStack } from "../stack/local-stack.ts";
import { stackConfigSchema } from "../stack/stack-config.ts";

/**
 * `npm start`: the whole local system on loopback (stack/local-stack.ts). Ctrl-C or
 * SIGTERM stops everything it started, in reverse order, and exits once nothing is left.
 */
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const log = (message: string) => console.log(`\x1b[1m[start]\x1b[0m ${message}`);

const parsed = stackConfigSchema.safeParse(process.env);
if (!parsed.success) {
  console.error(
    `invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
  );
  process.exit(2);
}

let stack: LocalStack | undefined;
let stopping = false;
const stopAll = async (exitCode: number) => {
  if (stopping) return;
  stopping = true;
  log("stopping");
  await stack?.stop();
  log("stopped: nothing left running");
  process.exit(exitCode);
};
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  stack = await startLocalStack({ config: parsed.data, root, log });
  const { urls } = stack;
  if (urls.edge) log(`Conduit API through the edge: ${urls.edge}/api`);
  log(`Conduit API, origin-only through NGINX: ${urls.api}/api and ${urls.https}/api`);
  const metrics = urls.origins.map((url) => `${url}/metrics`).join(" ");
  log(`reference ${urls.api}/docs, health ${urls.api}/readyz, metrics ${metrics}`);
  log("Ctrl-C stops everything");
  const part = await stack.unexpectedExit;
  if (!stopping) {
    log(`${part} exited unexpectedly`);
    await stopAll(1);
  }
} catch (error) {
  console.error(error);
  await stopAll(1);
}
