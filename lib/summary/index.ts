/** Summary validation (issue 6): checks for LLM and Copilot summaries against the call. */
export * from './validator';
export * from './context';
export * from './input';
export * from './schema';
export * from './tokens';
export { LearnedValues, maskFindings, redactorDetectors, type DetectedEntityLike, type PersonalDataDetector, type PersonalDataFinding } from './personal-data';
export { DEFAULT_GROUNDING, type GroundingOptions, type UngroundedKind } from './grounding';
export { SourceIndex, analyzeSegment, indexTexts } from './analysis';
export { extractQuantities, type Quantity } from './quantities';
export { routeMessage, transcriptTexts, type IncomingMessage, type Routed } from './messages';
export { summaryOptionsFromDialog, listOf, type SummaryDialogConfig, type SummaryNodeOptions } from './config';
export { SummaryValidationEngine, type EngineResult } from './engine';
