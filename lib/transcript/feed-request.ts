import { InputError, describeValue } from '../util/errors';

export type SubscriptionAction = 'subscribe' | 'unsubscribe';

/** The action of a run-time request: msg.payload.action, or msg.payload itself as a string. */
export function subscriptionAction(payload: unknown): SubscriptionAction {
  const action = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>).action : payload;
  if (action === 'subscribe' || action === 'unsubscribe') return action;
  throw new InputError(`action must be "subscribe" or "unsubscribe" (in msg.payload.action or msg.payload; got ${action === undefined ? 'nothing' : describeValue(action)})`, 'INVALID_ACTION', 'payload.action');
}
