/**
 * What a node shows under itself in the editor. lib/ computes it from its own state (a pure
 * function per node); the node file passes it to node.status() as is. Same shape as Node-RED's
 * status object; an empty object clears the status.
 */
export interface StatusView {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}
