// Just enough XML to read cppcheck's --xml-version=2 report: <error attrs> with <location attrs>
// children. cppcheck escapes attribute values, so no attribute contains a raw '"' or '>'.

export interface CppcheckError {
	attrs: Record<string, string>;
	locations: Record<string, string>[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
		if (name[0] === '#') {
			const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
			return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
		}
		return ENTITIES[name] ?? whole;
	});
}

function attributes(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const m of text.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]] = decodeXmlText(m[2]);
	return out;
}

/** The <error> elements of a cppcheck XML v2 report; throws when there is no <results> root. */
export function readCppcheckXml(xml: string): CppcheckError[] {
	if (!/<results\b[^>]*version="2"/.test(xml)) throw new Error('cppcheck output has no <results version="2"> element');
	const errors: CppcheckError[] = [];
	// An error is either self-closing or has a body ending in </error>.
	for (const m of xml.matchAll(/<error\b([^>]*?)(\/>|>([\s\S]*?)<\/error>)/g)) {
		const locations = [...(m[3] ?? '').matchAll(/<location\b([^>]*?)\/?>/g)].map((l) => attributes(l[1]));
		errors.push({ attrs: attributes(m[1]), locations });
	}
	return errors;
}
