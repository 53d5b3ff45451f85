/** @type {import('jest').Config} */
// The real-server suites (`npm run test:cluster`): kube-apiserver and etcd built from source, one
// control plane per test file, run one file at a time (2 cores).
const base = require('./jest.config.js');
module.exports = { ...base, roots: ['<rootDir>/test/cluster'], testMatch: ['**/*.cluster.test.ts'], testPathIgnorePatterns: [], maxWorkers: 1 };
