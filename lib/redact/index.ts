/**
 * lib/redact: personal-data detection and redaction for live transcripts, written and spoken forms.
 * Public API used by nodes/genesys-redactor and by lib/summary (leak checks).
 */
export type { EntityType, DetectedEntity, DetectorOptions, CustomPattern, DetectionCarry, DetectionResult } from './types';
export { ENTITY_TYPES, PRESETS } from './types';
export { Detector, detectEntities, DEFAULT_DETECTOR_OPTIONS } from './detectors';
export { spokenDigitView, isNumberWord, type SpokenDigitView, type DigitRun } from './spoken';
export { tokenize, type Token } from './tokens';
export { luhnValid, cardBrand, isCardNumber, isValidSsn, isValidIban } from './checksums';
export { assertSafePattern, compileSafePattern } from './safe-regex';
export { Operator, PseudonymTable, OPERATOR_KINDS, DEFAULT_OPERATOR_OPTIONS, type OperatorKind, type OperatorOptions, type LabelStyle } from './operators';
export { Redactor, type RedactorOptions, type RedactionEntity, type RedactionPolicy, type TextContext, type TextRedaction } from './redactor';
export { redactMessageValue, type ValueContext, type ValueRedaction } from './message';
export { redactorOptionsFromDialog, parseEntities, parseCustomPatterns, conversationEnded, type RedactorDialogConfig } from './config';
