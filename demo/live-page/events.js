/* global msg, flow, node */
// Turns pipeline messages into small display events for the live page (/agent-assist), keeps a
// bounded replay log per conversation for pages opened mid-call, and sends each event to the
// page's WebSocket. msg.assistKind (set by the change node in front) says what arrived.
const MAX_CONVERSATIONS = 8;
const MAX_EVENTS_PER_CONVERSATION = 600;

// One segment per message, or an array of them in the aligner's batch mode.
function utterancesOf(m) {
  const p = m.payload;
  if (Array.isArray(p)) return p;
  return p && typeof p === 'object' ? [p] : [];
}

// Copilot summaries carry {text} objects per field; other LLM summaries may be plain strings.
function textOf(v) {
  if (typeof v === 'string') return v;
  return v && typeof v.text === 'string' ? v.text : '';
}

function summaryText(p) {
  if (typeof p === 'string') return p;
  if (!p || typeof p !== 'object') return '';
  const parts = ['summary', 'text'].map((k) => textOf(p[k])).filter(Boolean);
  const resolution = textOf(p.resolution);
  if (resolution) parts.push('Resolution: ' + resolution);
  return parts.join(' ');
}

function rejectionReasons(v) {
  if (!v) return [];
  const reasons = (v.checks || []).filter((c) => !c.passed).map((c) => (c.detail ? c.id + ': ' + c.detail : c.id));
  for (const u of v.ungrounded || []) {
    reasons.push('not supported by the call (' + (u.kind || 'claim') + '): "' + (u.span || u.sentence) + '"');
  }
  // Masked spans ("[PHONE]") can repeat: say each reason once.
  return [...new Set(reasons)];
}

const kind = msg.assistKind;
const events = [];
if ((kind === 'segment' || kind === 'partial') && msg.payload && msg.payload.type === 'transcript') {
  // The aligner's whole-transcript message when a call ends: the page already has the lines.
  events.push({ kind: 'ended', conversationId: msg.payload.conversationId || msg.topic });
} else if (kind === 'segment' || kind === 'partial') {
  for (const u of utterancesOf(msg)) {
    if (!u || typeof u.text !== 'string' || !u.conversationId) continue;
    const isPartial = kind === 'partial' || u.isFinal === false;
    events.push({
      kind: isPartial ? 'partial' : 'segment',
      conversationId: u.conversationId,
      utteranceId: u.utteranceId,
      speaker: u.speaker || 'unknown',
      text: u.text,
      startMs: u.startMs,
      seq: u.seq,
      revision: u.revision || 0,
    });
  }
} else if (kind === 'summary') {
  const v = msg.validation || {};
  events.push({
    kind: 'summary',
    conversationId: msg.topic,
    id: (msg.payload && (msg.payload.summaryId || msg.payload.id)) || msg._msgid,
    valid: v.valid === true,
    headline: msg.payload && typeof msg.payload === 'object' ? textOf(msg.payload.headline) : '',
    text: summaryText(msg.payload),
    reasons: v.valid === true ? [] : rejectionReasons(v),
  });
} else if (kind === 'audio') {
  // Session events from the interceptor's first output: opened, paused, resumed, closed...
  const d = msg.details || {};
  const state = String(msg.payload);
  events.push({
    kind: 'audio',
    conversationId: (msg.audiohook && msg.audiohook.conversationId) || msg.topic,
    state,
    text: state === 'opened' || state === 'resumed' ? 'streaming' : state === 'closed' ? 'ended' : state === 'error' ? 'error: ' + (d.message || d.code || 'protocol') : state,
  });
} else if (kind === 'qa') {
  // Quality alerts (and the per-session summary at close) from the interceptor's third output.
  const a = msg.payload || {};
  const conversationId = (msg.audiohook && msg.audiohook.conversationId) || msg.topic;
  if (msg.event === 'summary') {
    const pct = typeof a.lossRatio === 'number' ? (a.lossRatio * 100).toFixed(1) + '% lost' : '';
    const rtt = a.rtt && typeof a.rtt.meanMs === 'number' ? 'round trip ' + Math.round(a.rtt.meanMs) + ' ms' : '';
    const secs = typeof a.audioSeconds === 'number' ? Math.round(a.audioSeconds) + ' s of audio' : '';
    events.push({ kind: 'audio-summary', conversationId, text: [secs, pct, rtt].filter(Boolean).join(', ') });
  } else if (a.metric) {
    const unit = a.metric === 'loss' ? '' : a.metric === 'silence' ? ' s' : ' ms';
    const fmt = (v) => (typeof v === 'number' ? (a.metric === 'loss' ? (v * 100).toFixed(1) + '%' : Math.round(v) + unit) : String(v));
    events.push({
      kind: 'qa',
      conversationId,
      metric: a.metric,
      text: a.metric + ' ' + fmt(a.value) + ' over ' + fmt(a.threshold) + (a.channel ? ' (' + a.channel + ')' : ''),
    });
  }
} else if (kind === 'ended') {
  events.push({ kind: 'ended', conversationId: msg.topic });
}

const log = flow.get('agentAssistLog') || { order: [], events: {} };
const out = [];
for (const ev of events) {
  if (!ev.conversationId) continue;
  if (!log.events[ev.conversationId]) {
    log.order.push(ev.conversationId);
    log.events[ev.conversationId] = [];
    while (log.order.length > MAX_CONVERSATIONS) delete log.events[log.order.shift()];
  }
  // Partials are replaced a few times a second: the page only needs them live, not on replay.
  if (ev.kind !== 'partial') {
    const list = log.events[ev.conversationId];
    list.push(ev);
    if (list.length > MAX_EVENTS_PER_CONVERSATION) list.splice(0, list.length - MAX_EVENTS_PER_CONVERSATION);
  }
  out.push({ topic: ev.conversationId, payload: JSON.stringify(ev) });
}
flow.set('agentAssistLog', log);
node.send([out]);
