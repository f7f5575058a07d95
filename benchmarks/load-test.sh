#!/usr/bin/env bash
# The load and memory tool with PostgreSQL beside SQLite (README, Performance): starts a throwaway PostgreSQL
# cluster with durable settings (fsync and synchronous commits on, like SQLite's synchronous=FULL), runs the tool
# in Release, and removes the cluster. Options go to the tool, e.g. --only ledger or --capacity 500,1000.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/postgres.sh
trap postgres_stop EXIT
unset PREFERENCECENTER_TEST_POSTGRES
POSTGRES_DURABLE=1 postgres_start
if [ -z "${PREFERENCECENTER_TEST_POSTGRES:-}" ]; then
  echo "PostgreSQL is not available here: the ledger row runs on SQLite only." >&2
fi
dotnet run -c Release --project benchmarks/PreferenceCenter.LoadTest -- "$@"
