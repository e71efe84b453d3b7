// Mutation testing of the files that decide what is let through: `npm run mutation`, or one
// file with `npm run mutation -- --mutate src/auth/jwt.ts`. Not part of `npm test` or CI: a full
// run takes hours on a small machine. Add `--incremental` to reuse the last run's results.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // findRelatedTests picks only tests importing the file and misses every gateway-level test.
    enableFindRelatedTests: false,
    config: {
      // Coverage instrumentation on a loaded machine: 5 s is too short for the property tests.
      testTimeout: 60_000,
      // The CLI tests run the code in child processes, where no mutant is ever active.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cli/'],
    },
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  concurrency: 1,
  // Static mutants (module-level tables) would each rerun the whole suite.
  ignoreStatic: true,
  timeoutMS: 10000,
  // The first run of the whole suite, with coverage, on a shared machine.
  dryRunTimeoutMinutes: 30,
  mutate: [
    'src/auth/**/*.ts',
    'src/usage/**/*.ts',
    'src/validation/request-validator.ts',
    'src/routing/**/*.ts',
    'src/integrations/integration-responses.ts',
    'src/lambda/invoke.ts',
  ],
  ignorePatterns: ['dist', 'coverage', 'reports', 'bench/.profiles', '.stryker-tmp'],
  // Only sources get `// @ts-nocheck`: a line added to a test fixture would move the lines its test expects.
  disableTypeChecks: 'src/**/*.ts',
  tempDirName: '.stryker-tmp',
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
};
