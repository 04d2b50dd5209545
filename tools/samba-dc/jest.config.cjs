module.exports = { ...require('../../jest.preset.cjs'), displayName: 'samba-dc', rootDir: __dirname };
