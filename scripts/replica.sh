#!/usr/bin/env bash
# A PostgreSQL streaming replica of the local server, for the replica-routing tests (CI and a developer's machine):
#   scripts/replica.sh start   pg_basebackup of 127.0.0.1:$PRIMARY_PORT into $REPLICA_DIR, served on $REPLICA_PORT
#   scripts/replica.sh stop    stops it and removes its files
# It needs the primary to accept replication connections from 127.0.0.1 (a pg_hba.conf line it adds when run as
# root and the line is missing; otherwise it says what to add). The replica runs as the `postgres` user (the server
# refuses root), with its own minimal configuration: Debian keeps the primary's configuration outside its data
# directory, so the base backup carries none.
set -euo pipefail
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/tmp/yigang-replica}
PG_USER=${PG_USER:-postgres}
BIN=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null || true; fi
  rm -rf "$REPLICA_DIR"
}

allow_replication() {
  local hba
  hba=$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$PG_USER" -Atc "show hba_file")
  if psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$PG_USER" -Atc \
      "select count(*) from pg_hba_file_rules where 'replication' = any(database) and address = '127.0.0.1'" | grep -qx 0; then
    if [ "$(id -u)" = 0 ] && [ -w "$hba" ]; then
      echo "host replication all 127.0.0.1/32 trust" >>"$hba"
      psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$PG_USER" -Atqc "select pg_reload_conf()" >/dev/null
      sleep 1
    else
      echo "the primary refuses replication connections: add 'host replication all 127.0.0.1/32 trust' to $hba and reload" >&2
      exit 1
    fi
  fi
}

start() {
  stop
  allow_replication
  mkdir -p "$REPLICA_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$REPLICA_DIR"; fi
  chmod 700 "$REPLICA_DIR"
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$PG_USER" -D "$REPLICA_DIR" -R -X stream -c fast
  as_pg bash -c "cat >>'$REPLICA_DIR/postgresql.conf'" <<CONF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
hot_standby_feedback = on
max_connections = 100
CONF
  as_pg bash -c "printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >'$REPLICA_DIR/pg_hba.conf'"
  as_pg "$BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" -w start >/dev/null
  psql -h 127.0.0.1 -p "$REPLICA_PORT" -U "$PG_USER" -Atc "select pg_is_in_recovery()" | grep -qx t
  echo "replica of 127.0.0.1:$PRIMARY_PORT serving on 127.0.0.1:$REPLICA_PORT ($REPLICA_DIR)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
