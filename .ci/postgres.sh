# Sourced by .ci/test.sh: a throwaway PostgreSQL cluster for the tests that run against both providers.
#   postgres_start  finds initdb/pg_ctl (installs the OS package 'postgresql' when missing), initdb's a cluster into a
#                   temp folder as a non-root user, starts it on a free port listening on a unix socket in that folder,
#                   and exports PREFERENCECENTER_TEST_POSTGRES (an Npgsql connection string for a superuser). Where
#                   PostgreSQL cannot be installed it exports PREFERENCECENTER_TEST_POSTGRES_UNAVAILABLE (the reason)
#                   instead, and the PostgreSQL test cases report that reason as a skip.
#                   POSTGRES_DURABLE=1 starts it with fsync and synchronous commits on (for benchmarks).
#   postgres_stop   stops the cluster and removes its folder.

postgres_bin=""
postgres_dir=""
postgres_user=""

postgres_find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    postgres_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"
    return 0
  fi
  # Debian keeps the server binaries off PATH, one folder per major version: take the newest.
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/pg_ctl" ]; then
    postgres_bin="$found"
    return 0
  fi
  return 1
}

postgres_free_port() {
  python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

postgres_start() {
  if [ -n "${PREFERENCECENTER_TEST_POSTGRES:-}" ]; then
    echo "PostgreSQL: using the cluster in PREFERENCECENTER_TEST_POSTGRES."
    return 0
  fi

  if ! postgres_find_bin; then
    echo "PostgreSQL (initdb, pg_ctl) not found: installing the OS package 'postgresql'..."
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    if command -v apt-get >/dev/null 2>&1; then
      $sudo apt-get update -qq || true
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null || true
    fi
    if ! postgres_find_bin; then
      export PREFERENCECENTER_TEST_POSTGRES_UNAVAILABLE="PostgreSQL could not be installed here (no apt-get, or the 'postgresql' package failed to install); install it and re-run .ci/test.sh"
      echo "WARNING: $PREFERENCECENTER_TEST_POSTGRES_UNAVAILABLE. The PostgreSQL test cases will be reported as skipped." >&2
      return 0
    fi
  fi

  # initdb refuses to run as root: the cluster belongs to an unprivileged user.
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    postgres_user="postgres"
    if ! id "$postgres_user" >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin "$postgres_user"
    fi
    run=(runuser -u "$postgres_user" --)
  fi

  postgres_dir="$(mktemp -d /tmp/preferencecenter-pg.XXXXXX)"
  chmod 755 "$postgres_dir"
  mkdir "$postgres_dir/data" "$postgres_dir/socket"
  if [ -n "$postgres_user" ]; then chown -R "$postgres_user" "$postgres_dir"; fi

  local port
  port="$(postgres_free_port)"
  # From inside the cluster's folder: the postgres user may not enter the folder the tests run from (a private clone).
  pushd "$postgres_dir" >/dev/null
  "${run[@]}" "$postgres_bin/initdb" -D "$postgres_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$postgres_dir/initdb.log" 2>&1 \
    || "${run[@]}" "$postgres_bin/initdb" -D "$postgres_dir/data" -U postgres -A trust -E UTF8 --no-locale >"$postgres_dir/initdb.log" 2>&1 \
    || { cat "$postgres_dir/initdb.log" >&2; popd >/dev/null; return 1; }

  # Throwaway data: durability off for speed (the tests never crash the server); TCP on loopback and a private socket.
  # POSTGRES_DURABLE=1 keeps PostgreSQL's durable defaults, for measurements that compare with SQLite's fsync per commit.
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [ "${POSTGRES_DURABLE:-0}" = "1" ]; then durability=""; fi
  "${run[@]}" "$postgres_bin/pg_ctl" -D "$postgres_dir/data" -l "$postgres_dir/server.log" -w -t 60 \
    -o "-p $port -k $postgres_dir/socket -c listen_addresses=127.0.0.1 $durability -c max_connections=300" \
    start >/dev/null || { cat "$postgres_dir/server.log" >&2; popd >/dev/null; return 1; }
  popd >/dev/null

  export PREFERENCECENTER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$postgres_bin/postgres" --version | awk '{print $3}') started for the tests on 127.0.0.1:$port (data in $postgres_dir)."
}

postgres_stop() {
  if [ -n "$postgres_dir" ] && [ -d "$postgres_dir/data" ]; then
    local run=()
    if [ -n "$postgres_user" ]; then run=(runuser -u "$postgres_user" --); fi
    (cd "$postgres_dir" && "${run[@]}" "$postgres_bin/pg_ctl" -D "$postgres_dir/data" -m immediate -w stop >/dev/null 2>&1) || true
  fi
  if [ -n "$postgres_dir" ]; then rm -rf "$postgres_dir"; fi
}
