#!/usr/bin/env bash
# `npm run bench`: benchmarks with their baselines measured in the same run. Prints a table and
# updates docs/BENCHMARKS.md. Directories above a few thousand objects are seeded once and the
# DC is cached (tools/samba-dc save/restore), so only the first run pays for seeding.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-deps.sh
tools/samba-dc/samba-dc ensure
npx nx run-many -t build --outputStyle=static
node tools/bench/dist/main.js "$@"
