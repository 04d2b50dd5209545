// Generates static protobuf.js code for the agent protocol into src/generated/ (git-ignored):
// agent.js (CommonJS, no reflection at run time) and agent.d.ts (its types).
//
// Run through Nx (`nx run protocol:codegen`) or directly with `node scripts/codegen.mjs`.
// Written as a Node script rather than a shell one so it runs the same on Windows.
//
// Flag choices:
// - No `--force-number`: for static code it only changes the declared types and `fromObject`;
//   the generated decoder still returns `Long` objects for 64-bit fields whenever the `long`
//   package is installed (protobufjs depends on it). The honest `number | Long` types make
//   the mapping layer convert explicitly (src/field-checks.ts), rejecting values above 2^53 - 1.
// - `--no-verify --no-convert --no-typeurl --no-service`: the library encodes plain objects
//   it built and validated itself, so reflection-style helpers are dead code.
// - `--root syncready-agent-v1`: a private protobuf.roots entry, so other generated modules in
//   the same process cannot collide with these types.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import cli from 'protobufjs-cli';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoRoot = join(projectRoot, 'proto');
const protoFile = join(protoRoot, 'syncready', 'agent', 'v1', 'agent.proto');
const outDir = join(projectRoot, 'src', 'generated');
const jsOut = join(outDir, 'agent.js');
const dtsOut = join(outDir, 'agent.d.ts');

const pbjs = promisify(cli.pbjs.main);
const pbts = promisify(cli.pbts.main);

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

await pbjs([
  '--target', 'static-module',
  '--wrap', 'commonjs',
  '--root', 'syncready-agent-v1',
  '--path', protoRoot,
  '--no-verify', '--no-convert', '--no-typeurl', '--no-service',
  '--out', jsOut,
  protoFile,
]);
await pbts(['--out', dtsOut, jsOut]);

// A marker line so nobody edits the output by hand; the source path is project-relative.
const banner = `// Generated from ${relative(projectRoot, protoFile).split('\\').join('/')} by scripts/codegen.mjs. Do not edit.\n`;
for (const file of [jsOut, dtsOut]) {
  const text = await readFile(file, 'utf8');
  await writeFile(file, banner + text);
}

console.log(`protocol codegen: wrote ${relative(projectRoot, jsOut)} and ${relative(projectRoot, dtsOut)}`);
