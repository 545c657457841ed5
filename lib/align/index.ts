/**
 * lib/align: one ordered, de-duplicated timeline per conversation (the genesys-aligner node's
 * logic). Consumers import the output types from here.
 */
export { Aligner, compareSpeechOrder, sameContent, type AlignerStats } from './aligner';
export { parseAlignerInput, END_EVENTS, type AlignerInput } from './input';
export { alignerOptionsFromDialog, resolveAlignerOptions, DEFAULT_ALIGNER_OPTIONS, type AlignerDialogConfig, type AlignerOptions } from './options';
export {
  isConversationTranscript,
  type AlignedSegment,
  type AlignerAlert,
  type AlignerAlertType,
  type AlignerOutput,
  type ConversationTranscript,
  type SegmentBatch,
  type SpeakerSummary,
  type TranscriptCounts,
  type TranscriptEndReason,
} from './types';
