/* global msg, flow, node */
// Answers GET /agent-assist/state with the replay log kept by "to live page events", so a page
// opened in the middle of a call shows the conversation so far.
const log = flow.get('agentAssistLog') || { order: [], events: {} };
msg.payload = log.order.flatMap((id) => log.events[id] || []);
msg.headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
node.send(msg);
