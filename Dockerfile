# syntax=docker/dockerfile:1
# The origin image. Node 24 runs origin/main.ts directly (type stripping), so there is no
# build step: the first stage installs production dependencies, the second adds the source.

# Patch-pinned; bump together with .nvmrc and the `node` devDependency.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# Docker builds resolve against the public registry, where every optional platform package in
# the lockfile exists (a partial mirror can make `npm ci` fail outside Docker). No production
# dependency needs an install script (@node-rs/argon2 ships prebuilt optional packages), so
# scripts stay off, and our one postinstall step, the fixes in patches/, runs by name.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npx --no-install patch-package --error-on-fail

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3001
WORKDIR /app
# Owned by root and only readable by the app user: a compromised process cannot rewrite its code.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY shared ./shared
COPY origin ./origin
USER node
EXPOSE 3001
# The primary drains its workers on SIGTERM for SHUTDOWN_TIMEOUT_MS (+2 s before it kills
# them), so the orchestrator's grace period must be longer: compose stop_grace_period,
# Kubernetes terminationGracePeriodSeconds.
STOPSIGNAL SIGTERM
# Liveness only: /healthz never touches Postgres, so a database outage does not get a healthy
# container restarted. The slim image has no curl; node's fetch does the request.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "origin/main.ts"]
