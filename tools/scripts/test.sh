#!/usr/bin/env bash
# `npm test`: what CI runs. On a fresh machine it installs what is missing (npm packages,
# the Samba AD DC's Debian packages), starts the test DC and checks PostgreSQL, then builds,
# type-checks, lints and runs every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tools/scripts/ensure-deps.sh
bash tools/scripts/ensure-postgres.sh
tools/samba-dc/samba-dc ensure

npx nx run-many -t codegen build typecheck lint --outputStyle=stream --skipNxCache
npx jest --ci "$@"
