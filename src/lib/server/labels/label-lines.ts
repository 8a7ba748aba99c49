// Reading and writing labels.jsonl lines: core/labels/label-file.ts (the data folder's `labels`
// table reads the files with the same checks); kept here for the server's and the CLI's imports.
export { LabelFileError, labelLine, readLabelLines as parseLabelLines, type ParsedLabels } from '../../core/labels/label-file.ts';
