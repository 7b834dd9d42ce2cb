#!/bin/sh
# Makes sure this checkout has what `npm start` and `npm test` run on: Node 24 (from the
# npm registry's `node` package, since Debian's Node is older), the npm dependencies, and
# the Debian packages of the local stack. Safe to run again: it only installs what is missing.
set -eu
cd "$(dirname "$0")/.."

say() { printf '\033[1m[toolchain]\033[0m %s\n' "$*"; }

# npm ci would be the usual choice, but our registry mirror lacks some other platforms'
# optional binaries that the lockfile names (Biome's), which npm ci treats as an error.
# npm install with the lockfile installs the same locked versions.
# The stamp covers patches/ too: npm install's postinstall applies them (patch-package).
lock_stamp=node_modules/.conduit-lock.sha256
lock_sum=$(cat package-lock.json patches/*.patch | sha256sum | cut -d' ' -f1)
if [ ! -x node_modules/.bin/node ] || [ "$(cat "$lock_stamp" 2>/dev/null)" != "$lock_sum" ]; then
  say "installing npm dependencies (Node 24 among them)"
  # A patch applies to its package as npm ships it, not to what an earlier version of the
  # patch left: drop patched packages (patches/<name>+<version>.patch, scoped names with
  # "+" for "/") so npm install puts them back pristine before postinstall patches them.
  for patch in patches/*.patch; do
    [ -e "$patch" ] || continue
    package=$(basename "$patch" .patch)
    rm -rf "node_modules/$(echo "${package%+*}" | tr + /)"
  done
  npm install --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$lock_stamp"
fi

node_version=$(node_modules/.bin/node --version)
case "$node_version" in
  v24.*) ;;
  *) say "expected Node 24 in node_modules/.bin, found $node_version"; exit 1 ;;
esac

# Debian packages the stack and its tests run for real, as binary:package: NGINX (load
# balancer, TLS), Redis (shared state, queue), PgBouncer, openssl (the local CA), Chromium
# (the report's rendering test), wrk (the hit-path and replica benchmarks). PostgreSQL 15's own
# tools make the streaming replica.
debian_packages="nginx:nginx redis-server:redis-server pgbouncer:pgbouncer openssl:openssl chromium:chromium wrk:wrk"
missing=""
for pair in $debian_packages; do
  binary=${pair%%:*}
  package=${pair#*:}
  command -v "$binary" >/dev/null 2>&1 || [ -x "/usr/sbin/$binary" ] || missing="$missing $package"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    say "missing Debian packages:$missing"
    say "install them with: sudo apt-get install$missing"
    exit 1
  fi
fi
