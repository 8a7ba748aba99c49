// The last check between a drawn plot and the page: whatever Observable Plot drew from a spec
// and from query results, nothing in the figure may run script or load from a URL. The spec was
// checked when parsed (notebook/plot-vocabulary.ts plotSafetyErrors), but values from data —
// an `href` column, colours through an identity scale — are only known here.
//
// - Links (`<a href>`) keep only http(s) URLs and same-origin relative ones, as the browser's own
//   URL parser reads them (so "java\tscript:" and " javascript:" are caught); anything else
//   (javascript:, data:, vbscript:, blob:, file:) loses its href. A link opens with no opener.
// - Other elements may only reference fragments in the figure (`href="#…"`, `url(#…)`, as Plot
//   uses for clip paths and markers); no `src` anywhere; no event-handler attributes.
// - Elements that load or embed things (script, foreignObject, iframe, …) are removed, and so is
//   an <image> unless it is an inline raster (Plot draws colour-ramp legends as a PNG data URL).
// - Inline styles and <style> text with a fetching CSS function or an escape are dropped.
// Elements Plot adds later (pointer interactions) are checked too, by a MutationObserver
// that runs before the browser paints them.
import { unsafeCssReason } from '../../notebook/plot-vocabulary.ts';

const REMOVED_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed', 'img', 'video', 'audio', 'source', 'link', 'meta', 'base', 'animate', 'set', 'animatemotion', 'animatetransform']);
const LOCAL_REFERENCE = /^url\(\s*(["']?)#[\w:.-]+\1\s*\)$/i;
const INLINE_RASTER = /^data:image\/(png|gif|jpeg|webp);base64,[A-Za-z0-9+/]*={0,2}$/;

/** Plot's own legend ramps: an <image> whose only source is an inline PNG/GIF/JPEG/WebP. */
function isInlineRaster(element: Element): boolean {
	const sources = element.getAttributeNames().filter((name) => /^(xlink:)?href$|^src/i.test(name));
	return sources.length > 0 && sources.every((name) => /href$/i.test(name) && INLINE_RASTER.test(element.getAttribute(name) ?? ''));
}

/** The link as the browser would follow it if it is http(s) (absolute or relative); otherwise null. */
export function safeLink(value: string, base: string): string | null {
	let url: URL;
	try {
		url = new URL(value, base);
	} catch {
		return null;
	}
	return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** Whether an attribute value that mentions url( only points inside the document. */
function attributeIsSafe(name: string, value: string): boolean {
	if (/url\s*\(/i.test(value) || value.includes('\\')) return LOCAL_REFERENCE.test(value.trim());
	if (name === 'style') return unsafeCssReason(value) === undefined;
	return true;
}

/** Cleans `root` and its subtree in place. */
export function sanitizeFigure(root: Element, base: string): void {
	const elements = [root, ...root.querySelectorAll('*')];
	for (const element of elements) {
		const tag = element.localName.toLowerCase();
		if (REMOVED_ELEMENTS.has(tag) || (tag === 'image' && !isInlineRaster(element))) {
			element.remove();
			continue;
		}
		if (tag === 'style' && unsafeCssReason(element.textContent ?? '') !== undefined) {
			element.remove();
			continue;
		}
		for (const name of element.getAttributeNames()) {
			const lower = name.toLowerCase();
			const value = element.getAttribute(name) ?? '';
			if (lower.startsWith('on') || lower === 'src' || lower === 'srcset' || lower === 'formaction') {
				element.removeAttribute(name);
			} else if ((lower === 'href' || lower === 'xlink:href') && tag === 'image') {
				// Checked above: an inline raster.
			} else if (lower === 'href' || lower === 'xlink:href') {
				const link = tag === 'a' ? safeLink(value, base) : value.startsWith('#') ? value : null;
				if (link === null) element.removeAttribute(name);
				else if (link !== value) element.setAttribute(name, link);
				if (tag === 'a' && link !== null && element.getAttribute('rel') !== 'noopener noreferrer') element.setAttribute('rel', 'noopener noreferrer');
			} else if (!attributeIsSafe(lower, value)) {
				element.removeAttribute(name);
			}
		}
	}
}

/** Sanitizes now and again whenever Plot changes the figure (until it is discarded). */
export function keepSanitized(root: Element, base: string): void {
	sanitizeFigure(root, base);
	if (typeof MutationObserver === 'undefined') return;
	new MutationObserver((records) => {
		const touched = new Set<Element>();
		for (const record of records) {
			if (record.type === 'attributes' && record.target instanceof Element) touched.add(record.target);
			for (const node of record.addedNodes) if (node instanceof Element) touched.add(node);
		}
		for (const element of touched) if (element.isConnected || root.contains(element)) sanitizeFigure(element, base);
	}).observe(root, { subtree: true, childList: true, attributes: true });
}
