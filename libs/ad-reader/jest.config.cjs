module.exports = { ...require('../../jest.preset.cjs'), displayName: 'ad-reader', rootDir: __dirname };
