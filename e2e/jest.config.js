// Scenarios run in order against one real server (./run.sh starts it and sets MM_URL).
module.exports = {
    testEnvironment: 'node',
    roots: ['<rootDir>/tests'],
    testMatch: ['**/*.test.ts'],
    transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: 'tsconfig.json'}]},
    testTimeout: 180000,
    verbose: true,
};
