import { InputError, errorMessage } from '../../lib/util/errors';
import type { Node } from './red';

/**
 * For a node whose dialog values are invalid: logs the reason once, shows it in the status, and
 * fails every input with the same Catch-able error, so nothing passes through unprocessed.
 * The reason comes from lib's validation, which never echoes secret or personal dialog values.
 */
export function refuseInputs(node: Node, err: unknown, code = 'INVALID_CONFIG'): void {
  const message = `invalid configuration: ${errorMessage(err)}`;
  node.error(message);
  node.status({ fill: 'red', shape: 'ring', text: 'invalid configuration' });
  node.on('input', (_msg, _send, done) => done(new InputError(message, code)));
}
