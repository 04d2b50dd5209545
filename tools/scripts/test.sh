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

# Two jest passes. The main one runs the test files in parallel on the shared DC; the second
# runs the `*.exclusive-spec.ts` files, which stop and replace the DC (samba-dc save/restore),
# one at a time once nothing else uses it. Both always run; each prints its own summary, and
# the closing `tests:` line of the second counts the tests of both.
totals=$(mktemp)
trap 'rm -f "$totals"' EXIT
export SYNCREADY_TEST_TOTALS=$totals
status=0
npx jest --ci "$@" || status=$?
npx jest --ci -c tools/e2e/jest.exclusive.config.cjs --runInBand --passWithNoTests "$@" || status=$?
exit "$status"
