// Builds webapp/dist/main.js. React, ReactDOM, Redux and friends come from the Mattermost
// host page (externals), so the bundle holds only our code plus axios (every request goes through src/client.ts).
const path = require('path');

// `--env host` builds instead the browser test's stand-in for the Mattermost page, with React 18;
// `--env host --env react=19` with React 19 (Mattermost 12), from browser-hosts/react19.
const react19 = path.resolve(__dirname, '../browser-hosts/react19/node_modules');

module.exports = (env = {}) => ({
    entry: env.host ? './tests-browser/host/host.tsx' : './src/index.tsx',
    output: {
        path: env.host ? path.resolve(__dirname, 'test-results') : path.resolve(__dirname, 'dist'),
        filename: env.host ? `host-react${env.react || '18'}.js` : 'main.js',
    },
    resolve: {
        extensions: ['.ts', '.tsx', '.js'],
        alias: env.host && env.react === '19' ? {
            react: path.join(react19, 'react'),
            'react-dom': path.join(react19, 'react-dom'),
        } : {},
    },
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
