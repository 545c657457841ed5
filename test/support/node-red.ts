/**
 * Shared setup for node tests: one node-red-node-test-helper initialised with the project's
 * Node-RED devDependency. Import `helper` from here in every test/nodes spec.
 */
import helperModule from 'node-red-node-test-helper';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const helper: any = helperModule;
helper.init(require.resolve('node-red'));
