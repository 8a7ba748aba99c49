// Spreadsheet formula injection: a CSV cell a spreadsheet would read as a formula
// (=HYPERLINK(…), =cmd|…, +cmd, -2+3, @SUM, or those after a tab or CR) fetches URLs or runs
// commands in the program that opens the file. Text from datasets, model answers and labellers
// is written with a leading apostrophe instead, which spreadsheets show as text; a value that
// itself begins with apostrophes before a trigger gets one more, so unguardFormula round-trips.
// One rule for every CSV the project writes (labels export, a result's CSV download).

const FORMULA_START = /^'*[=+\-@\t\r]/;

/** The text as a spreadsheet will show it, never run it. */
export function guardFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** What guardFormula wrote, as it was. */
export function unguardFormula(text: string): string {
	return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
