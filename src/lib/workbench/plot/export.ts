// A drawn plot → standalone SVG text or PNG bytes, for download. A plot with a legend, title or
// caption is an HTML <figure> holding several SVGs and HTML text (swatch legends are HTML), so
// the export rebuilds the whole figure as one SVG: every top-level <svg> where it sits, and every
// run of HTML text as an SVG <text> with its computed font. Nothing is rasterised from HTML.
const SVG_NS = 'http://www.w3.org/2000/svg';
/** White space around the figure: Plot lets legend and axis labels overhang its SVGs' edges. */
export const EXPORT_PADDING = 8;

function topLevelSvgs(figure: Element): SVGSVGElement[] {
	if (figure instanceof SVGSVGElement) return [figure];
	return [...figure.querySelectorAll('svg')].filter((svg) => !svg.parentElement?.closest('svg'));
}

function htmlTextNodes(figure: Element): Text[] {
	const walker = figure.ownerDocument.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
	const nodes: Text[] = [];
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		const text = node as Text;
		if (!text.data.trim() || text.parentElement?.closest('svg, style, script')) continue;
		nodes.push(text);
	}
	return nodes;
}

function textElement(node: Text, origin: DOMRect): SVGTextElement | null {
	const range = node.ownerDocument.createRange();
	range.selectNodeContents(node);
	const box = range.getBoundingClientRect();
	if (box.width === 0 || box.height === 0) return null;
	const style = getComputedStyle(node.parentElement!);
	const text = node.ownerDocument.createElementNS(SVG_NS, 'text');
	text.setAttribute('x', String(box.left - origin.left));
	text.setAttribute('y', String(box.top - origin.top + box.height / 2));
	text.setAttribute('dominant-baseline', 'central');
	text.setAttribute('font-family', style.fontFamily);
	text.setAttribute('font-size', style.fontSize);
	text.setAttribute('font-weight', style.fontWeight);
	text.setAttribute('fill', style.color);
	text.textContent = node.data.trim();
	return text;
}

/** The whole figure (legends, titles, the plot) as one standalone SVG element and its size. */
function composeFigure(figure: Element): { svg: SVGSVGElement; width: number; height: number } {
	const svgs = topLevelSvgs(figure);
	if (svgs.length === 0) throw new Error('this plot has no SVG to export');
	const origin = figure.getBoundingClientRect();
	const out = figure.ownerDocument.createElementNS(SVG_NS, 'svg');
	out.setAttribute('xmlns', SVG_NS);
	const width = Math.ceil(origin.width) + 2 * EXPORT_PADDING;
	const height = Math.ceil(origin.height) + 2 * EXPORT_PADDING;
	out.setAttribute('width', String(width));
	out.setAttribute('height', String(height));
	out.setAttribute('viewBox', `${-EXPORT_PADDING} ${-EXPORT_PADDING} ${width} ${height}`);
	for (const svg of svgs) {
		const box = svg.getBoundingClientRect();
		const copy = svg.cloneNode(true) as SVGSVGElement;
		copy.setAttribute('x', String(box.left - origin.left));
		copy.setAttribute('y', String(box.top - origin.top));
		copy.setAttribute('width', String(box.width));
		copy.setAttribute('height', String(box.height));
		copy.setAttribute('overflow', 'visible');
		// Plot styles its SVGs through a class; keep the computed font so text measures the same.
		const style = getComputedStyle(svg);
		copy.setAttribute('font-family', style.fontFamily);
		copy.setAttribute('font-size', style.fontSize);
		out.appendChild(copy);
	}
	if (!(figure instanceof SVGSVGElement)) {
		for (const node of htmlTextNodes(figure)) {
			const text = textElement(node, origin);
			if (text) out.appendChild(text);
		}
	}
	return { svg: out, width, height };
}

export function plotToSVG(figure: Element): string {
	return new XMLSerializer().serializeToString(composeFigure(figure).svg);
}

export async function plotToPNG(figure: Element, scale = 2): Promise<Blob> {
	const { width, height } = composeFigure(figure);
	const image = new Image();
	const url = URL.createObjectURL(new Blob([plotToSVG(figure)], { type: 'image/svg+xml' }));
	try {
		image.src = url;
		await image.decode();
		const canvas = document.createElement('canvas');
		canvas.width = Math.ceil(width * scale);
		canvas.height = Math.ceil(height * scale);
		const context = canvas.getContext('2d')!;
		context.fillStyle = '#fff';
		context.fillRect(0, 0, canvas.width, canvas.height);
		context.drawImage(image, 0, 0, canvas.width, canvas.height);
		return await new Promise((resolve, reject) =>
			canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png')
		);
	} finally {
		URL.revokeObjectURL(url);
	}
}
