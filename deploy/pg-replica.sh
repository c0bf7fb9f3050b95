#!/usr/bin/env bash
# Start a PostgreSQL streaming replica of the local primary on another port (default: the
# 5432 cluster → 5433), made with pg_basebackup. Idempotent: a running replica is left alone.
# Used by .ci/run before the PostgreSQL test pass; the same steps set up a replica machine
# (docs/scaling.md). Needs the PostgreSQL server binaries; run as root or as the postgres user.
#   deploy/pg-replica.sh            start (making it first if needed)
#   deploy/pg-replica.sh stop       stop it
set -euo pipefail
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
HOST=127.0.0.1
VERSION=$(pg_lsclusters -h | awk -v p="$PRIMARY_PORT" '$3 == p {print $1; exit}')
[ -n "$VERSION" ] || { echo "no PostgreSQL cluster on port $PRIMARY_PORT (pg_lsclusters)" >&2; exit 1; }
BIN=/usr/lib/postgresql/$VERSION/bin
DATA=${REPLICA_DATA:-/var/lib/postgresql/$VERSION/gongkai-replica-$REPLICA_PORT}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
psql_primary() { psql -h "$HOST" -p "$PRIMARY_PORT" -U postgres -Atqc "$1"; }

if [ "${1:-start}" = stop ]; then
  as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast stop || true
  exit 0
fi
if pg_isready -h "$HOST" -p "$REPLICA_PORT" -q; then
  if [ "$(psql -h "$HOST" -p "$REPLICA_PORT" -U postgres -Atqc 'select pg_is_in_recovery()')" != t ]; then
    echo "port $REPLICA_PORT is taken by a PostgreSQL that is not a replica: choose REPLICA_PORT" >&2
    exit 1
  fi
  echo "replica on $HOST:$REPLICA_PORT is running"
  exit 0
fi

# The primary must accept replication connections from this machine (wal_level=replica and
# max_wal_senders > 0 are PostgreSQL's defaults).
[ "$(psql_primary 'show wal_level')" != minimal ] || {
  echo "wal_level=minimal on the primary: set wal_level=replica and restart it" >&2; exit 1; }
HBA=$(psql_primary 'show hba_file')
if ! grep -Eq "^host[[:space:]]+replication[[:space:]]+all[[:space:]]+$HOST/32" "$HBA"; then
  echo "host replication all $HOST/32 trust" >> "$HBA"
  psql_primary 'select pg_reload_conf()' >/dev/null
fi

# A fresh copy each time it is not running: small, and never behind a recycled WAL segment.
rm -rf "$DATA"
mkdir -p "$DATA"
[ "$(id -u)" != 0 ] || chown postgres:postgres "$DATA"
chmod 700 "$DATA"
as_postgres pg_basebackup -h "$HOST" -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
  --write-recovery-conf --wal-method=stream --checkpoint=fast
# Debian keeps the primary's configuration in /etc/postgresql: the copy gets its own.
as_postgres sh -c "cat > '$DATA/postgresql.conf'" <<CONF
port = $REPLICA_PORT
listen_addresses = '$HOST'
unix_socket_directories = '$DATA'
hot_standby = on
# Off: with feedback the primary keeps rows the replica might still read, and VACUUM
# there cannot mark pages all-visible (the search tests check that it does). A replica
# query that conflicts with replay waits up to max_standby_streaming_delay (30 s), then is
# cancelled; a production replica for long reports may want feedback on.
hot_standby_feedback = off
max_connections = 100
shared_buffers = 64MB
CONF
as_postgres sh -c "cat > '$DATA/pg_hba.conf'" <<CONF
local all all trust
host all all $HOST/32 trust
CONF
as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/replica.log" -w start
for _ in $(seq 1 30); do pg_isready -h "$HOST" -p "$REPLICA_PORT" -q && break; sleep 1; done
echo "replica on $HOST:$REPLICA_PORT: $(psql -h $HOST -p "$REPLICA_PORT" -U postgres -Atqc 'select pg_is_in_recovery()') in recovery"
