// Every stack the suite loads comes from the fixture project (test/fixtures/project), never from
// the repository's own Pulumi.<stack>.yaml, which a team fills in with its real values. Set here, in
// the process that forks the workers, so the workers and every CLI a test spawns inherit it.
process.env.GROUNDWORK_PROJECT_DIR = `${__dirname}/test/fixtures/project`;

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
