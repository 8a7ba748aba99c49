// A drawn plot → standalone SVG text or PNG bytes, for download.
function svgOf(figure: Element): SVGSVGElement | null {
	return figure instanceof SVGSVGElement ? figure : figure.querySelector('svg');
}

export function plotToSVG(figure: Element): string {
	const svg = svgOf(figure);
	if (!svg) throw new Error('this plot has no SVG to export');
	const copy = svg.cloneNode(true) as SVGSVGElement;
	copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
	return new XMLSerializer().serializeToString(copy);
}

export async function plotToPNG(figure: Element, scale = 2): Promise<Blob> {
	const svg = svgOf(figure);
	if (!svg) throw new Error('this plot has no SVG to export');
	const { width, height } = svg.getBoundingClientRect();
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
