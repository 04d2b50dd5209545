#!/usr/bin/env node
// Thin launcher so the command exists right after `npm install`; the bundle comes from `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(bundle)) {
  console.error('syncready-server is not built yet: run `npm run build` in the repository root first');
  process.exit(2);
}
require(bundle);
