#!/usr/bin/env bash
# The store's tests run against SQLite and the local PostgreSQL (127.0.0.1:5432, trust auth).
# Machines of this project's kind start PostgreSQL before anything else; start it if it stopped.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "starting PostgreSQL…" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
fi
echo "PostgreSQL is not reachable on 127.0.0.1:5432: start it (trust auth for local connections) and run the tests again" >&2
exit 3
