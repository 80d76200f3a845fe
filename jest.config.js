/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  resolver: 'ts-jest-resolver',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true, isolatedModules: true }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Integration and end-to-end tests start real servers and child processes.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test-support/count-reporter.js']
}
