/** @type {import('jest').Config} */
// The real-server suites (`npm run test:cluster`): kube-apiserver and etcd built from source, one
// control plane per test file, run one file at a time (2 cores). Same transform as jest.config.js.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 180000,
  maxWorkers: 1,
};
