#!/usr/bin/env bash
# `npm run demo`: installs what is missing, provisions and starts the Samba AD DC, builds,
# then lets a real agent stream the sample forest to a real control plane.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-deps.sh
tools/samba-dc/samba-dc ensure
npx nx run-many -t build --outputStyle=static
node tools/demo/dist/main.js
