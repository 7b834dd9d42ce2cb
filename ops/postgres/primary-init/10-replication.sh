#!/bin/sh
# Runs once, when the primary's data directory is first initialised (docker-entrypoint-initdb.d):
# the role and the physical slot the streaming replica clones and follows.
set -eu

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
-- A slot keeps the WAL the replica has not received yet, so a slow or restarting replica never
-- needs a fresh base backup; max_slot_wal_keep_size on the primary bounds what it may hold.
SELECT pg_create_physical_replication_slot('replica_1');
SQL

# The image's pg_hba.conf only lets replication connect over loopback.
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
