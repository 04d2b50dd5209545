// End-to-end tests spawn the built binaries against the Samba DC: give them time.
module.exports = { ...require('../../jest.preset.cjs'), displayName: 'e2e', rootDir: __dirname, testTimeout: 180_000 };
