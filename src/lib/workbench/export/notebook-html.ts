// A notebook as one self-contained HTML file that opens offline: its text, each cell's code (folded),
// and each cell's output as it is on the page — tables as escaped HTML text, in full up to
// EXPORT_ROWS rows (no scroll box: a printed export keeps every row written; the rest are
// counted, "N more rows"), figures as inline SVG. No script: a Content-Security-Policy meta forbids any,
// and the figures pass through a sanitizer that drops scripts, event attributes and outside links.
import type { Cell } from '../../notebook/cell.ts';
import { blockedMessage, type CellResult, type ResultTable } from '../../notebook/executor.ts';
import { columnFormatters, columnNames } from '../arrow-values.ts';

/** Rows of a table written into the file; the rest are counted, not copied. */
export const EXPORT_ROWS = 500;

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function tableHtml(table: ResultTable, total = table.numRows): string {
	const names = columnNames(table);
	const columns = names.map((n) => table.getChild(n));
	const formats = columnFormatters(table);
	const shown = Math.min(table.numRows, EXPORT_ROWS);
	const head = `<tr>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
	const rows: string[] = [];
	for (let r = 0; r < shown; r++) rows.push(`<tr>${columns.map((c, i) => `<td>${escapeHtml(formats[i](c?.get(r)))}</td>`).join('')}</tr>`);
	const more =
		total > shown
			? `<p class="note more">First ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows; ${(total - shown).toLocaleString('en-US')} more rows not in this file.</p>`
			: '';
	return `<p class="note">${total.toLocaleString('en-US')} rows</p><div class="wide"><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>${more}`;
}

/** Markup from the page (a rendered figure or markdown) without anything active or remote. */
export function sanitizeMarkup(markup: string, type: 'image/svg+xml' | 'text/html'): string {
	const doc = new DOMParser().parseFromString(type === 'text/html' ? `<body>${markup}</body>` : markup, type);
	const root = type === 'text/html' ? doc.body : doc.documentElement;
	if (!root || root.nodeName === 'parsererror' || root.querySelector('parsererror')) return '';
	root.querySelectorAll('script, iframe, object, embed, link, meta, base, form, input, button, textarea').forEach((e) => e.remove());
	for (const el of [root, ...root.querySelectorAll('*')]) {
		for (const attr of [...el.attributes]) {
			const name = attr.name.toLowerCase();
			const value = attr.value.trim().toLowerCase();
			const link = name === 'href' || name === 'src' || name === 'xlink:href' || name === 'action';
			if (name.startsWith('on') || (link && !value.startsWith('#') && !value.startsWith('data:image/') && !(name === 'href' && /^https?:/.test(value)))) {
				el.removeAttribute(attr.name);
			}
		}
	}
	return type === 'text/html' ? root.innerHTML : new XMLSerializer().serializeToString(root);
}

export interface ExportCell {
	cell: Cell;
	result: CellResult | undefined;
	/** Rendered markdown (markdown cells) from the page. */
	markdownHtml?: string;
	/** The figure as one SVG document (plot cells), from the page. */
	figureSvg?: string;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;color:#1d2330;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.8rem}details{margin:.3rem 0}summary{cursor:pointer;color:#6b7280;font-size:12px}
pre{background:#f6f7f9;border:1px solid #d9dde3;border-radius:4px;padding:.5rem;overflow:auto;font-size:12px}
pre.error{background:#fdecea;color:#b3261e}.warn{color:#b3261e;font-weight:600}.cell{margin:1rem 0}.note{color:#6b7280;font-size:12px;margin:.2rem 0}
.wide{overflow-x:auto;border:1px solid #d9dde3}table{border-collapse:collapse;font-size:12px}
th,td{border-bottom:1px solid #d9dde3;padding:.15rem .5rem;text-align:left;white-space:nowrap}th{background:#eef1f5}
svg{max-width:100%;height:auto}
@media print{.wide{overflow:visible;border:none}th,td{white-space:normal;overflow-wrap:anywhere}thead{display:table-header-group}tr{break-inside:avoid}}`;

/** Code cells without a result (never run, or still running when the file was written). */
export function cellsNotRun(cells: readonly Pick<ExportCell, 'cell' | 'result'>[]): number {
	return cells.filter(({ cell, result }) => cell.kind !== 'markdown' && result === undefined).length;
}

/** "3 cells had not run", or '' when every code cell has a result. */
export function notRunText(count: number): string {
	return count === 0 ? '' : `${count} cell${count === 1 ? '' : 's'} had not run`;
}

/**
 * The whole file. `title` and every text are escaped; figures and markdown are sanitized. Cells
 * without a result are "Not run." each, and the top says how many there are.
 */
export function notebookHtml(title: string, cells: ExportCell[], exportedAt = new Date()): string {
	const parts: string[] = [];
	const notRun = notRunText(cellsNotRun(cells));
	for (const { cell, result, markdownHtml, figureSvg } of cells) {
		if (cell.kind === 'markdown') {
			parts.push(`<section class="cell markdown">${markdownHtml !== undefined ? sanitizeMarkup(markdownHtml, 'text/html') : `<pre>${escapeHtml(cell.source)}</pre>`}</section>`);
			continue;
		}
		const label = `${cell.kind}${cell.id ? ` ${cell.id}` : ''}`;
		let output = '<p class="note">Not run.</p>';
		if (result?.status === 'blocked') output = `<p class="note">${escapeHtml(result.waitsFor ? `${blockedMessage(result.waitsFor)}.` : (result.error?.message ?? 'Not run: an upstream cell failed'))}</p>`;
		else if (result && result.status !== 'ok') output = `<pre class="error">${escapeHtml(result.error?.message ?? 'failed')}</pre>`;
		else if (result?.plot) output = figureSvg ? sanitizeMarkup(figureSvg, 'image/svg+xml') : '<p class="note">The figure was not drawn.</p>';
		else if (result?.table) output = tableHtml(result.table, result.rowCount ?? result.table.numRows); // the page holds the first rows of a large result
		parts.push(`<section class="cell ${escapeHtml(cell.kind)}"><details><summary>${escapeHtml(label)}</summary><pre>${escapeHtml(cell.source)}</pre></details>${output}</section>`);
	}
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p class="note">Exported from the CoV Workbench on ${escapeHtml(exportedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC.</p>
${notRun ? `<p class="note warn">${notRun} when this file was exported: each says "Not run." Run the notebook to the end on the page, then export again.</p>\n` : ''}${parts.join('\n')}
</body></html>
`;
}
