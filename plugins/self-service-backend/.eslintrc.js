module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Attack tests assert through a helper that also proves nothing changed.
    'jest/expect-expect': ['warn', { assertFunctionNames: ['expect', 'expectRefused'] }],
  },
});
