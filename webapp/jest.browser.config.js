// Browser tests: the built webapp/dist/main.js in headless Chromium (Debian's package).
module.exports = {
    testEnvironment: 'node',
    roots: ['<rootDir>/tests-browser'],
    testMatch: ['**/*.test.ts'],
    transform: {'^.+\\.tsx?$': ['ts-jest', {tsconfig: 'tsconfig.json'}]},
    testTimeout: 60000,
};
