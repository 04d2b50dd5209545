// End-to-end tests spawn the built binaries against the Samba DC: give them time.
// `*.exclusive-spec.ts` files stop or replace the shared DC (samba-dc save/restore): they never
// run beside the others but in a pass of their own (jest.exclusive.config.cjs).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e',
  rootDir: __dirname,
  testTimeout: 180_000,
  // Removes each file's temporary directories when it is done (kept when it failed).
  testEnvironment: '<rootDir>/jest-environment.cjs',
  testPathIgnorePatterns: ['/node_modules/', '\\.exclusive-spec\\.ts$'],
};
