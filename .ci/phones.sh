#!/usr/bin/env bash
# Issue 17, phones: Lighthouse 12 (mobile, simulated slow 4G: its default settings) and
# axe-core, in Debian's Chromium, on the ten pages residents open on a phone. Prints one
# table; fails when a page scores below Performance 98 or Accessibility 100, or has any axe
# violation (.ci/phones/phones.mjs says how it measures).
#
# The server is production-like (.ci/phones/settings.py): DEBUG off, granian, hashed and
# pre-compressed static files served by WhiteNoise; the data is the demo's, on SQLite in
# var/phones/ (kept between runs: a second run only migrates). Alone:
#   bash .ci/phones.sh              PHONES_ONLY=scan,map bash .ci/phones.sh
# .ci/run calls `phones.sh prepare` in the background while it lints (the demo data, static
# files and npm tools need no quiet machine), then `phones.sh measure` with only the niced
# SQLite test run beside it: Lighthouse's scores depend on the CPU it gets, and a process at
# nice 19 takes only what Lighthouse and its Chromium leave idle.
set -euo pipefail
cd "$(dirname "$0")/.."
PHASE="${1:-all}"
case "$PHASE" in all|prepare|measure) ;; *) echo "usage: phones.sh [prepare|measure]"; exit 2;; esac
started=$(date +%s)
PHONES=.ci/phones
VAR="${LANGSO_PHONES_DIR:-$PWD/var/phones}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
mkdir -p "$VAR"

echo "== Phones: Lighthouse and axe-core on the resident pages (.ci/phones, $CHROME_PATH)"
command -v "$CHROME_PATH" >/dev/null || { echo "Chromium is missing at $CHROME_PATH"; exit 2; }
# The checkout's code (not an installed copy), the check's settings, its own var folder.
export PYTHONPATH="$PWD/$PHONES:$PWD" DJANGO_SETTINGS_MODULE=settings LANGSO_VAR_DIR="$VAR"
unset DATABASE_URL REDIS_URL
PY=.venv/bin/python
if [ "$PHASE" = measure ]; then
  [ -s "$VAR/port" ] || { echo "run .ci/phones.sh prepare first"; exit 2; }
  PORT=$(cat "$VAR/port")
else
PORT="${PHONES_PORT:-$($PY -c '
import socket
for port in range(8660, 8670):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
')}"
fi
[ -n "$PORT" ] || { echo "no free port in 8660-8669 (set PHONES_PORT)"; exit 2; }
export LANGSO_PUBLIC_URL="http://127.0.0.1:$PORT"

if [ "$PHASE" != measure ]; then

# The demo's data, the static files and the npm tools, side by side.
$PY -m langso.cli demo --no-serve --households 200 --port "$PORT" >"$VAR/demo.log" 2>&1 &
demo=$!
$PY -m langso.cli collectstatic --noinput -v0 >"$VAR/collectstatic.log" 2>&1 &
static=$!
# npm ci only when the lock file changed since the last install: node_modules is kept.
lock=$(sha256sum "$PHONES/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$PHONES/node_modules/.installed-lock" 2>/dev/null)" != "$lock" ]; then
  npm ci --prefix "$PHONES" --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$lock" >"$PHONES/node_modules/.installed-lock"
fi
wait "$demo" || { tail -30 "$VAR/demo.log"; echo "demo data could not be prepared"; exit 2; }
wait "$static" || { tail -30 "$VAR/collectstatic.log"; echo "collectstatic failed"; exit 2; }
$PY "$PHONES/pages.py" >"$VAR/pages.json" 2>>"$VAR/demo.log"
echo "$PORT" >"$VAR/port"
echo "Tools, demo data and static files ready in $(( $(date +%s) - started )) s ($VAR)"
[ "$PHASE" = prepare ] && exit 0
fi

# Its own session, so that the server and its workers stop together at exit.
setsid $PY -m langso.cli serve --no-migrate --bind "127.0.0.1:$PORT" --workers 2 \
  >"$VAR/server.log" 2>&1 &
server=$!
trap 'kill -TERM -- "-$server" 2>/dev/null || true' EXIT
$PY -c '
import sys, time, urllib.request
deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
            sys.exit(0 if response.status == 200 else 1)
    except OSError:
        time.sleep(0.3)
sys.exit("the server did not answer /healthz")
' "$LANGSO_PUBLIC_URL/healthz" || { tail -30 "$VAR/server.log"; exit 2; }

status=0
node "$PHONES/phones.mjs" "$LANGSO_PUBLIC_URL" "$VAR/pages.json" || status=$?
if [ "$status" = 2 ]; then
  echo "-- last lines of the server's log ($VAR/server.log):"
  tail -20 "$VAR/server.log"
fi
echo "== Phones took $(( $(date +%s) - started )) s"
exit "$status"
