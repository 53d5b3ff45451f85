// Every stack the suite loads comes from the fixture project (test/fixtures/project), never from
// the repository's own Pulumi.<stack>.yaml, which a team fills in with its real values. Set here, in
// the process that forks the workers, so the workers and every CLI a test spawns inherit it.
process.env.GROUNDWORK_PROJECT_DIR = `${__dirname}/test/fixtures/project`;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the real API server suites run on their own (`npm run test:cluster`)
  testPathIgnorePatterns: ['/node_modules/', '\\.cluster\\.test\\.ts$'],
  // ts-jest transpiles each file alone (tsconfig isolatedModules); `npm run typecheck` type-checks once.
  // Pure JavaScript: no platform-specific native binaries in the lockfile, so `npm ci` works everywhere.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 180000,
  testEnvironmentOptions: { globalsCleanup: 'off' },
};
