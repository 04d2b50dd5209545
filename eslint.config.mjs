// Lint at error, no warning backlog. Module boundaries follow ARCHITECTURE.md: pure libs do no
// I/O, agent-side and control-plane code never import each other, apps never import apps.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const ioPackages = ['ws', 'express', 'ldapts', 'pg', 'better-sqlite3', 'kysely', '@azure/identity'];
const nodeIo = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'child_process', 'node:child_process'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '.tmp/**', '.nx/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:agent', onlyDependOnLibsWithTags: ['scope:agent', 'scope:shared', 'type:testing'] },
            { sourceTag: 'scope:control-plane', onlyDependOnLibsWithTags: ['scope:control-plane', 'scope:shared', 'type:testing'] },
            { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:shared', 'scope:agent', 'scope:control-plane', 'scope:tooling'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:protocol', 'type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:protocol', 'type:util', 'type:testing'] },
            { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:domain', 'type:util'], bannedExternalImports: [...ioPackages, ...nodeIo] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'], bannedExternalImports: [...ioPackages, ...nodeIo] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:domain', 'type:protocol', 'type:data-access', 'type:util', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:protocol'] },
          ],
        },
      ],
    },
  },
  {
    // Node scripts (build, bench, CLI shims) are plain CommonJS/ESM JavaScript.
    files: ['**/*.cjs', '**/*.mjs', '**/*.js'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
