// Bundles one app's composition root into a single CommonJS file with esbuild. Native and
// optional modules stay external; everything from libs/ is inlined through the tsconfig paths.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const entryAt = args.indexOf('--entry');
const entry = entryAt >= 0 ? args.splice(entryAt, 2)[1] : 'main';
const [appDir, define] = args;
if (!appDir || !entry) {
  console.error('usage: node tools/scripts/build-app.mjs apps/NAME [VERSION_CONSTANT] [--entry FILE_STEM]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: [join(root, appDir, 'src', `${entry}.ts`)],
  outfile: join(root, appDir, 'dist', `${entry}.js`),
  tsconfig: join(root, appDir, 'tsconfig.json'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // better-sqlite3 and pg load native or optional code at run time.
  external: ['better-sqlite3', 'pg-native'],
  define: define ? { [define]: JSON.stringify(version) } : {},
});
