// Builds webapp/dist/main.js. React, ReactDOM, Redux and friends come from the Mattermost
// host page (externals), so the bundle holds only our code plus axios and Client4.
const path = require('path');

module.exports = (env = {}) => ({
    entry: env.host ? './tests-browser/host/host.tsx' : './src/index.tsx',
    output: {
        path: env.host ? path.resolve(__dirname, 'test-results') : path.resolve(__dirname, 'dist'),
        filename: env.host ? 'host.js' : 'main.js',
    },
    resolve: {extensions: ['.ts', '.tsx', '.js']},
    module: {
        rules: [{
            test: /\.tsx?$/,
            exclude: /node_modules/,
            use: {loader: 'ts-loader', options: {transpileOnly: true, compilerOptions: {module: 'ESNext'}}},
        }],
    },
    externals: env.host ? {} : {
        react: 'React',
        'react-dom': 'ReactDOM',
        redux: 'Redux',
        'react-redux': 'ReactRedux',
        'prop-types': 'PropTypes',
        'react-bootstrap': 'ReactBootstrap',
        'react-router-dom': 'ReactRouterDom',
    },
    devtool: false,
    performance: {hints: false},
});
