module.exports = {
    testEnvironment: 'jsdom',
    roots: ['<rootDir>/src'],
    testMatch: ['**/*.test.ts', '**/*.test.tsx'],
    transform: {'^.+\\.tsx?$': ['ts-jest', {tsconfig: 'tsconfig.json'}]},
    setupFilesAfterEnv: ['<rootDir>/src/test_setup.ts'],
    collectCoverageFrom: ['src/**/*.{ts,tsx}'],
};
