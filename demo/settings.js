/**
 * Node-RED settings for the demo (`npm start`) and the browser test. The user directory is given
 * on the command line (-u .demo by default); scripts/start.mjs writes the demo flow and a
 * credentials file holding only ${ENV} references there before starting Node-RED.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Node-RED loads settings with require()
const path = require('node:path');

module.exports = {
  uiHost: process.env.NODE_RED_HOST || '127.0.0.1',
  // Load this pack from the working tree (its package.json "node-red" section points at dist/).
  // GENESYS_PACK_DIR lets the demo run a private build (see scripts/start.mjs).
  nodesDir: [process.env.GENESYS_PACK_DIR || path.resolve(__dirname, '..')],
  flowFile: 'flows.json',
  flowFilePretty: true,
  // The credentials file holds ${GENESYS_...} references, not secrets: nothing to encrypt.
  credentialSecret: false,
  httpNodeRoot: '/',
  telemetry: { enabled: false, updateNotification: false },
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  externalModules: { autoInstall: false },
  functionExternalModules: false,
  editorTheme: {
    tours: false,
    projects: { enabled: false },
    page: { title: 'Genesys agent assist demo' },
    header: { title: 'Genesys agent assist demo' },
    palette: { categories: ['genesys', 'common', 'function', 'network', 'sequence', 'parser', 'storage'] },
  },
  logging: { console: { level: process.env.NODE_RED_LOG_LEVEL || 'info', metrics: false, audit: false } },
  // Close handlers of the pack release sockets quickly; keep shutdown bounded.
  nodeCloseTimeout: 5000,
};
