#!/usr/bin/env bash
# A restore drill (docs/operations.md, "Backups and restore"): proves that a backup of the network's
# PostgreSQL database restores into a working network. It
#   1. dumps the source database (pg_dump, custom format: what a nightly backup would be),
#   2. restores the dump into a new database on the same server (pg_restore),
#   3. starts an Aurora server on the restored database (migrations run if the dump is older),
#   4. checks that /ready answers 200, that the catalogue and the audit logs hold what the source
#      held, and that `aurora audit verify` finds the consent audit chain intact,
#   5. stops the server and drops the restored database (KEEP=1 keeps it, and the dump).
# Exits 0 only when every check passes; prints how long each step took.
#
#   scripts/restore-drill.sh postgres://user@host:5432/aurora
#   DUMP=/backups/aurora-2026-12-05.dump scripts/restore-drill.sh postgres://user@host:5432/aurora
#       (restores that dump instead of making one; the URL then names only the server, and the
#       counts are compared with that database as it is now)
#
# Needs pg_dump, pg_restore and psql of the server's major version or newer, node, curl, and the
# package with its node_modules (a checkout, `npm ci` done; the container image has neither this
# script nor the PostgreSQL client tools). The source database is only read.
set -euo pipefail

SOURCE_URL=${1:-${DATABASE_URL:-}}
if [[ -z "$SOURCE_URL" ]]; then
  echo "usage: $0 postgres://user@host:port/database   (or DATABASE_URL)" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-18765}
DRILL_DB="aurora_restore_drill_$(date +%Y%m%d%H%M%S)_$$"
WORK=$(mktemp -d -t aurora-restore-drill-XXXXXX)
SERVER_PID=
# The same server, another database: the URL with its path replaced.
TARGET_URL=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$SOURCE_URL" "$DRILL_DB")
MAINTENANCE_URL=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/postgres"; console.log(u.toString())' "$SOURCE_URL")

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
step() { printf '%-72s' "$1"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
  local code=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" != 1 ]]; then
    psql "$MAINTENANCE_URL" -qAtc "drop database if exists $DRILL_DB with (force)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
  else
    echo "kept: database $DRILL_DB, dump and server log in $WORK"
  fi
  [[ $code -eq 0 ]] && echo "restore drill passed" || echo "restore drill FAILED (server log: ${KEEP:+$WORK/server.log})" >&2
}
trap cleanup EXIT

# Rows that must survive a backup: the catalogue, both audit logs, the clients, the consents.
counts() {
  psql "$1" -qAt -F' ' -c "select
      (select count(*) from services), (select count(*) from service_channels),
      (select count(*) from audit_log), (select count(*) from consent_audit),
      (select count(*) from api_clients), (select count(*) from consents)"
}

started=$(now)
if [[ -n "${DUMP:-}" ]]; then
  [[ -r "$DUMP" ]] || fail "cannot read DUMP=$DUMP"
  cp "$DUMP" "$WORK/aurora.dump"
  step "1. dump: using $DUMP"; echo
else
  step "1. dump the source (pg_dump --format=custom)"
  t=$(now)
  pg_dump --format=custom --no-owner --no-privileges --file="$WORK/aurora.dump" "$SOURCE_URL"
  echo "$(took "$t"), $(du -h "$WORK/aurora.dump" | cut -f1)"
fi
SOURCE_COUNTS=$(counts "$SOURCE_URL")

step "2. restore into a new database $DRILL_DB"
t=$(now)
psql "$MAINTENANCE_URL" -qAtc "create database $DRILL_DB" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$TARGET_URL" "$WORK/aurora.dump"
echo "$(took "$t")"

step "3. start a server on the restored database"
t=$(now)
(cd "$ROOT" && DATABASE_URL="$TARGET_URL" AURORA_DEMO=off LOG_LEVEL=info PORT="$PORT" HOST=127.0.0.1 NODE_OPTIONS= \
  exec node bin/aurora.js serve --no-demo >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 600); do
  grep -q 'Aurora is serving on' "$WORK/server.log" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "the server exited"; }
  sleep 0.5
done
grep -q 'Aurora is serving on' "$WORK/server.log" || fail "the server did not start in 5 minutes"
echo "$(took "$t")"

step "4a. /ready"
ready=$(curl -s -o "$WORK/ready.json" -w '%{http_code}' "http://127.0.0.1:$PORT/ready")
[[ "$ready" == 200 ]] || fail "/ready answered $ready: $(cat "$WORK/ready.json")"
echo "200 $(cat "$WORK/ready.json")"

step "4b. the restored rows equal the source's"
RESTORED_COUNTS=$(counts "$TARGET_URL")
[[ "$RESTORED_COUNTS" == "$SOURCE_COUNTS" ]] || fail "source $SOURCE_COUNTS, restored $RESTORED_COUNTS (services channels audit_log consent_audit api_clients consents)"
echo "services, channels, audit_log, consent_audit, clients, consents: $RESTORED_COUNTS"

step "4c. the restored server answers a catalogue query"
listed=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$PORT/api/v1/services?limit=1")
[[ "${listed##* }" == 200 ]] || fail "GET /api/v1/services answered ${listed##* }"
services=$(cut -d' ' -f1 <<<"$RESTORED_COUNTS")
if [[ "$services" -gt 0 ]]; then
  grep -q '"id"' <<<"$listed" || fail "the catalogue has $services services but the API listed none"
fi
echo "200"

step "4d. aurora audit verify (the consent audit chain)"
verified=$(cd "$ROOT" && DATABASE_URL="$TARGET_URL" NODE_OPTIONS= node bin/aurora.js audit verify --json) || fail "audit verify: $verified"
grep -q '"ok":true' <<<"$verified" || fail "audit verify: $verified"
echo "$verified"

echo "all checks passed in $(took "$started")"
