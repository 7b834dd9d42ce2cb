import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import { freePort } from "../../../stack/free-port.ts";
import { type NginxOptions, type RunningNginx, startNginx } from "../../../stack/nginx.ts";
import { nginxServices } from "./services.ts";

export interface TestNginx extends RunningNginx {
  /** Its error log so far. */
  errorLog: string[];
}

/** A fresh nginx on free ports with its own prefix; the shared origins unless told otherwise. */
export const startTestNginx = async (options: Partial<NginxOptions> = {}): Promise<TestNginx> => {
  const services = nginxServices();
  const errorLog: string[] = [];
  const nginx = await startNginx({
    port: await freePort(),
    upstreams: services.origins.map((origin) => ({ host: "127.0.0.1", port: origin.port })),
    rateLimit: true,
    prefixDir: await mkdtemp(path.join(services.root, "nginx-")),
    output: (line) => errorLog.push(line),
    ...options,
  });
  return { ...nginx, errorLog };
};
