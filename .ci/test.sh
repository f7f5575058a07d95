#!/usr/bin/env bash
# Runs every test in the solution. Installs what the tests need from the OS packages when it is missing
# (Chromium for the Playwright end-to-end tests, nginx for the scale-out test, PostgreSQL for the tests that run on
# both database providers), never downloading a browser or a server of its own. A throwaway PostgreSQL cluster lives
# for the run (see .ci/postgres.sh).
# Ends with one plain line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${PREFERENCECENTER_CHROMIUM:-${CHROMIUM_PATH:-/usr/bin/chromium}}"
if [ ! -x "$chromium" ]; then
  echo "Chromium not found at $chromium: installing the OS package 'chromium'..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  else
    echo "No apt-get here: install Chromium with your package manager and set PREFERENCECENTER_CHROMIUM." >&2
    exit 1
  fi
fi
export PREFERENCECENTER_CHROMIUM="$chromium"

# nginx runs in front of two app instances in ScaleOutTests (its own config and ports; the system service is not used).
nginx="${PREFERENCECENTER_NGINX:-/usr/sbin/nginx}"
if [ ! -x "$nginx" ]; then
  echo "nginx not found at $nginx: installing the OS package 'nginx'..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx >/dev/null
  else
    echo "No apt-get here: install nginx with your package manager and set PREFERENCECENTER_NGINX." >&2
    exit 1
  fi
fi
export PREFERENCECENTER_NGINX="$nginx"

results="$(mktemp -d)"
source .ci/postgres.sh
trap 'postgres_stop; rm -rf "$results"' EXIT
postgres_start

status=0
dotnet test --solution PreferenceCenter.sln --report-trx --results-directory "$results" || status=$?

passed=0
failed=0
skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  n="$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  skipped=$((skipped + ${n:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before reporting: count it, never hide it.
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  # Only the PostgreSQL cases skip, and only where PostgreSQL could not be installed (said above).
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
