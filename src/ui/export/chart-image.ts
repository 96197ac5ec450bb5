// A chart on the page as an SVG or PNG file (browser only): recharts' <svg> serialised into the
// standalone figure, and that figure drawn onto a canvas for the PNG.
import { type ChartFigure, standaloneChartSvg, type StandaloneSvg } from './chart-svg';

/** Pixels per CSS pixel of the PNG: sharp on a high-density screen or a printed page. */
const PNG_SCALE = 2;

/** The standalone SVG of the chart drawn inside `figure` (the <figure> of a MetricChart). */
export function chartSvg(figure: HTMLElement, about: ChartFigure): StandaloneSvg {
  const surface = figure.querySelector('svg.recharts-surface');
  if (!(surface instanceof SVGSVGElement)) throw new Error(`the chart "${about.title}" has nothing drawn yet`);
  const { width, height } = surface.getBoundingClientRect();
  const chart = new XMLSerializer().serializeToString(surface);
  return standaloneChartSvg(chart, Math.round(width), Math.round(height), about, getComputedStyle(figure).fontFamily);
}

/** The SVG drawn into a PNG of PNG_SCALE × its size. */
export async function svgToPng({ svg, width, height }: StandaloneSvg): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * PNG_SCALE;
    canvas.height = height * PNG_SCALE;
    canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
