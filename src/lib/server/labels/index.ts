export { Labelling, LabellingInputError, type EvolveRunSource, type GenerationRunSource, type Reveal, type Sources, type TargetAnswer, type TargetView } from './labelling.ts';
export { LabelStore, LabelStoreRefusedError, LABELS_FILE, LABEL_HISTORY_FILE, type AddResult, type LabelSnapshot } from './label-store.ts';
export { LabelFileError, parseLabelLines, labelLine } from './label-lines.ts';
export { LabelCsvError, labelsToCsv, parseLabelsCsv, parseLabelsCsvRows, REQUIRED_CSV_COLUMNS, OPTIONAL_CSV_COLUMNS } from './labels-csv.ts';
export { ItemSource, ITEMS_FILE } from './item-source.ts';
export { GenerationSource, type GenerationTarget, type TableSource } from './generation-source.ts';
export { verdictsFor, type VerdictView } from './verdicts.ts';
export { SurvivorSource, type SurvivorTarget } from './survivor-source.ts';
