/**
 * The conversation script format the simulator plays (lib/sim/conversations/*.json) and its
 * loader. Times are ms from the start of the call; the player turns them into transcription
 * events (offsetMs relative to transcriptionStartTimeMs, word startTimeMs absolute).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type ScriptChannel = 'INTERNAL' | 'EXTERNAL';

export interface ScriptWord {
  word: string;
  offsetMs: number;
  durationMs: number;
  confidence: number;
}

export interface ScriptPartial {
  /** The partial covers the first `wordCount` words of the final. */
  wordCount: number;
}

export interface ScriptUtterance {
  utteranceId: string;
  channel: ScriptChannel;
  offsetMs: number;
  durationMs: number;
  transcript: string;
  confidence: number;
  words: ScriptWord[];
  /** Partial (isFinal:false) results published before the final, same utteranceId. */
  partials: ScriptPartial[];
}

/** What the interceptor's AudioHook client needs to synthesise audio for the same call. */
export interface SpeechInterval {
  channel: 'internal' | 'external';
  startMs: number;
  endMs: number;
}

export type SummaryVariant = 'faithful' | 'swapped-number' | 'invented-entity' | 'leaked-phone';

export interface ScriptSummary {
  variant: SummaryVariant;
  /** What is wrong with it (for demo and test assertions); empty for faithful ones. */
  flaw: string;
  /** Fields of a ConversationSummaryTopicConversationSummaryEvent (ids are added by the player). */
  body: {
    summary: { text: string; score: number };
    headline: { text: string; description?: string; score: number };
    reason: { text: string; description?: string; score: number };
    resolution: { text: string; description?: string; resolutionValue?: string; score: number };
    followupActions: Array<{ text: string; description?: string; score: number }>;
    extractedEntities: Array<{ label: string; value: string }>;
  };
}

export interface PersonalDataItem {
  type: 'card' | 'ssn' | 'phone' | 'email' | 'name' | 'address' | 'zip' | 'dob' | 'account' | 'cvv' | 'expiry';
  /** The value in written form (what a redactor must not let through). */
  value: string;
  /** Utterance ids where it is spoken (a card may be split over several). */
  utteranceIds: string[];
}

export interface ConversationScript {
  id: string;
  title: string;
  language: string;
  queueName: string;
  agent: { name: string };
  customer: { name: string };
  /** Length of the call from its start to the last word. */
  durationMs: number;
  utterances: ScriptUtterance[];
  speechIntervals: SpeechInterval[];
  personalData: PersonalDataItem[];
  summaries: ScriptSummary[];
}

export const CONVERSATIONS_DIR = __dirname;

/** Loads every *.json script of the directory, sorted by id. */
export function loadScripts(dir: string = CONVERSATIONS_DIR): ConversationScript[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConversationScript);
}

export function loadScript(id: string, dir: string = CONVERSATIONS_DIR): ConversationScript {
  const found = loadScripts(dir).find((s) => s.id === id);
  if (!found) throw new Error(`no conversation script "${id}" in ${dir}`);
  return found;
}
