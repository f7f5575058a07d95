#!/usr/bin/env bash
# Runs every test in the solution. Installs what the tests need from the OS packages when it is missing
# (Chromium for the Playwright end-to-end tests, nginx for the scale-out test, PostgreSQL for the tests that run on
# both database providers), never downloading a browser or a server of its own; and Redocly CLI from npm for the
# OpenAPI lint. A throwaway PostgreSQL cluster lives
# for the run (see .ci/postgres.sh).
# Ends with one plain line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs an OS package when the binary the tests need is missing: install_os_package <package> <binary> <variable>.
install_os_package() {
  local package="$1" binary="$2" variable="$3"
  [ -x "$binary" ] && return 0
  echo "$package not found at $binary: installing the OS package '$package'..."
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "No apt-get here: install $package with your package manager and set $variable." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
}

chromium="${PREFERENCECENTER_CHROMIUM:-${CHROMIUM_PATH:-/usr/bin/chromium}}"
install_os_package chromium "$chromium" PREFERENCECENTER_CHROMIUM
export PREFERENCECENTER_CHROMIUM="$chromium"

# tools/verify-receipt is a Node.js script; ReceiptVerifierTests run it and fail without Node.
node="${PREFERENCECENTER_NODE:-/usr/bin/node}"
if ! command -v node >/dev/null 2>&1 && [ ! -x "$node" ]; then
  install_os_package nodejs "$node" PREFERENCECENTER_NODE
fi
export PREFERENCECENTER_NODE="${PREFERENCECENTER_NODE:-$(command -v node || echo "$node")}"

# nginx runs in front of two app instances in ScaleOutTests (its own config and ports; the system service is not used).
nginx="${PREFERENCECENTER_NGINX:-/usr/sbin/nginx}"
install_os_package nginx "$nginx" PREFERENCECENTER_NGINX
export PREFERENCECENTER_NGINX="$nginx"

# Redocly CLI lints the OpenAPI document in ApiOpenApiTests (ADR 33): the pinned version from npm, installed once per
# machine into a cache folder. A PREFERENCECENTER_REDOCLY set by the caller is used as it is.
redocly_version="2.77.0"
if [ -z "${PREFERENCECENTER_REDOCLY:-}" ]; then
  redocly_prefix="${XDG_CACHE_HOME:-$HOME/.cache}/preferencecenter/redocly-$redocly_version"
  PREFERENCECENTER_REDOCLY="$redocly_prefix/node_modules/.bin/redocly"
  if [ ! -x "$PREFERENCECENTER_REDOCLY" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "npm not found: install Node.js 20+ and npm, or set PREFERENCECENTER_REDOCLY to a Redocly CLI." >&2
      exit 1
    fi
    echo "Redocly CLI not found at $PREFERENCECENTER_REDOCLY: installing @redocly/cli@$redocly_version from npm..."
    npm install --prefix "$redocly_prefix" --no-audit --no-fund --loglevel=error "@redocly/cli@$redocly_version" >/dev/null
  fi
fi
export PREFERENCECENTER_REDOCLY

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

# Name every failed test last, next to the counts, so a log's tail says what broke.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/FAILED: \1/p' || true
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
