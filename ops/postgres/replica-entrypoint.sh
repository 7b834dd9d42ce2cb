#!/bin/sh
# Entrypoint of the streaming replica. The first start clones the primary with pg_basebackup
# (which also writes standby.signal and primary_conninfo); later starts resume streaming.
# Runs as root, like the image's own entrypoint, and hands over to it at the end.
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # Cloned into a side directory and renamed, so an interrupted backup is never mistaken for a
  # data directory on the next start: the container restarts and clones again.
  partial="$PGDATA.partial"
  rm -rf "$partial"
  install -d -o postgres -g postgres -m 700 "$partial"
  gosu postgres env PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" pg_basebackup \
    --host="$PRIMARY_HOST" --username=replicator --pgdata="$partial" \
    --wal-method=stream --slot=replica_1 --write-recovery-conf --checkpoint=fast
  rm -rf "$PGDATA"
  mv "$partial" "$PGDATA"
fi

exec docker-entrypoint.sh "$@"
