#!/usr/bin/env bash
# A local PostgreSQL server for the store's tests (crates/aidledger-store).
#
# Installs Debian's postgresql package when no server binaries are found, starts a
# private cluster on a loopback port (data in $AIDLEDGER_PG_DIR, default
# /tmp/aidledger-pg; port $AIDLEDGER_PG_PORT, default 54329), creates the role and
# database the tests use, and prints the line that points the tests at it:
#
#   export AIDLEDGER_TEST_PG=postgres://aidledger:aidledger@127.0.0.1:54329/aidledger_test
#
# Usage:
#   eval "$(scripts/ci-postgres.sh)"          # then: cargo test -p aidledger-store
#   scripts/ci-postgres.sh --env-file FILE    # also writes the export line to FILE
#   scripts/ci-postgres.sh --stop             # stops the cluster
#
# Idempotent: running it again reuses the installed package, the cluster and the
# running server (a second run takes well under a second). Everything but the export
# line goes to stderr, so the output can be eval'ed. Runs as root (the server then runs
# as the postgres user) or as an ordinary user who owns the data directory (no install).
set -euo pipefail

PORT=${AIDLEDGER_PG_PORT:-54329}
DIR=${AIDLEDGER_PG_DIR:-/tmp/aidledger-pg}
DATA=$DIR/data
ROLE=aidledger
PASSWORD=aidledger
DB=aidledger_test
ENV_FILE=
STOP=0

while [ $# -gt 0 ]; do
  case $1 in
    --env-file) ENV_FILE=${2:?--env-file needs a file}; shift 2 ;;
    --stop) STOP=1; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ci-postgres.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "ci-postgres: $*" >&2; }

# The newest installed server's bin directory (Debian keeps them out of PATH).
find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
    echo "$d"
  elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

BIN=$(find_bin)
if [ -z "$BIN" ]; then
  if [ "$STOP" = 1 ]; then log "no PostgreSQL installed: nothing to stop"; exit 0; fi
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and this is not root: run 'apt-get install -y postgresql' as root"
    exit 1
  fi
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  # (the package's own cluster, main on port 5432, is not used)
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  BIN=$(find_bin)
  if [ -z "$BIN" ]; then log "postgresql installed but initdb/pg_ctl not found"; exit 1; fi
fi

# Commands run as the cluster's owner: postgres when we are root.
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    log "no postgres user (the postgresql package creates it): reinstall postgresql-common"
    exit 1
  fi
  as_owner() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_owner() { "$@"; }
  OWNER=$(id -un)
fi

if [ "$STOP" = 1 ]; then
  if [ -f "$DATA/PG_VERSION" ]; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true
  fi
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown "$OWNER" "$DIR"; fi
chmod 700 "$DIR"

# a cluster left by another major version cannot be started by these binaries: renew it
BIN_MAJOR=$("$BIN/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
if [ -f "$DATA/PG_VERSION" ] && [ "$(cat "$DATA/PG_VERSION")" != "$BIN_MAJOR" ]; then
  log "the cluster in $DATA is of PostgreSQL $(cat "$DATA/PG_VERSION"), the server is $BIN_MAJOR: recreating it"
  rm -rf "$DATA"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "creating a cluster in $DATA"
  rm -rf "$DATA"
  pwfile=$(mktemp)
  echo "$PASSWORD" > "$pwfile"
  chmod 644 "$pwfile"
  # local socket connections as the owner are trusted; TCP needs the password
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >&2
  rm -f "$pwfile"
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "server already running on port $PORT"
else
  log "starting the server on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >&2 || {  # fsync off: a throwaway test cluster
    log "the server did not start; its log:"
    tail -n 30 "$DIR/server.log" >&2 || true
    exit 1
  }
fi

psql_admin() { as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U postgres -d postgres "$@"; }

if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  log "creating role $ROLE"
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  log "creating database $DB"
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0" >&2
fi

URL="postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
line="export AIDLEDGER_TEST_PG=$URL"
if [ -n "$ENV_FILE" ]; then
  echo "$line" > "$ENV_FILE"
  log "wrote $ENV_FILE"
fi
echo "$line"
