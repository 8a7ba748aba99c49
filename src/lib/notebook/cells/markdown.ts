// The markdown "kind": the text between fenced cells. It has no id, reads nothing and never runs;
// the workbench renders it as text (never as HTML from the file).
import type { CellKindModule } from './kind.ts';

export const markdownCell: CellKindModule<string> = {
	name: 'markdown',
	description: 'text between the cells: headings, notes, the story of the analysis',
	fenced: false,
	needsId: false,
	yieldsTable: false,
	language: 'markdown',
	newSource: 'Write here.',
	parse: (source) => ({ spec: source, errors: [] }),
	references: () => []
};
