#!/usr/bin/env bash
# Fuzz the JSON API from its own OpenAPI document (issue 20): a real server (gunicorn, PostgreSQL,
# the demo site) on a free port, then `schemathesis run` with every check, the stateful phase
# following the document's links (create → lookup → rating), once anonymously and once with a
# case handler's staff token. Zero failures or it exits non-zero.
#
#   scripts/fuzz_api.sh                 # ~4 minutes: FUZZ_MAX_TIME seconds per run (default 100)
#   FUZZ_MAX_TIME=20 scripts/fuzz_api.sh  # a short run while developing
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis (REDIS_URL, default db 0); makes a
# fresh database sunshine_fuzz_<pid> and drops it afterwards. The reports (JUnit, NDJSON) go to
# .fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
MAX_TIME="${FUZZ_MAX_TIME:-100}"
PGHOST="${PGHOST:-127.0.0.1}"
db="sunshine_fuzz_$$"
out=.fuzz
mkdir -p "$out"

export DJANGO_SETTINGS_MODULE=portal.settings.dev
export DEBUG=false
export DATABASE_URL="postgres://postgres@${PGHOST}:5432/${db}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECRET_KEY="fuzz-$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')"
export MEDIA_ROOT="$PWD/$out/media" PRIVATE_MEDIA_ROOT="$PWD/$out/private" \
  PROTECTED_MEDIA_ROOT="$PWD/$out/protected"
# The fuzzer is one client sending thousands of submissions: the quotas and limits answer 429
# (documented), so it keeps testing the rest instead of being shut out for a day.
export PYTHONUNBUFFERED=1

server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  psql -h "$PGHOST" -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== fuzz: database $db with the demo site"
psql -h "$PGHOST" -U postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py load_demo_data -v 0 >"$out/load_demo_data.log" 2>&1
handler_org="$($BIN/python manage.py shell -v 0 -c "from portal.organisations import Organisation; print(Organisation.objects.filter(kind='bureau').order_by('pk').first().code)" | tail -n1)"
token="$($BIN/python manage.py create_staff_user fuzz-handler --organisation "$handler_org" \
  --role handler --api-token | sed -n 's/.*[Tt]oken[^:：]*[:：] *//p' | tail -n1)"
[ -n "$token" ] || { echo "no staff token issued"; exit 1; }

port="$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:${port}"
echo "== fuzz: gunicorn on $base"
$BIN/gunicorn portal.wsgi --workers 2 --bind "127.0.0.1:${port}" --timeout 60 \
  --access-logfile /dev/null >"$out/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  $BIN/python -c "import urllib.request; urllib.request.urlopen('$base/healthz', timeout=2)" \
    >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$out/server.log"; exit 1; }
  sleep 0.5
done

status=0
run() {
  local name="$1"; shift
  echo "== fuzz: schemathesis ($name, ${MAX_TIME}s)"
  $BIN/schemathesis run "$base/api/v1/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful --max-time "$MAX_TIME" \
    --workers 2 --request-timeout 30 --seed "${FUZZ_SEED:-20}" \
    --report junit,ndjson --report-dir "$out/$name" "$@" || status=1
}
run anonymous
run staff -H "Authorization: Bearer $token"

if grep -q "Traceback" "$out/server.log"; then
  echo "== fuzz: the server logged tracebacks ($out/server.log)"
  grep -m 20 -A 3 "Traceback\|Error" "$out/server.log" || true
  status=1
fi
exit $status
