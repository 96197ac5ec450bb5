// A chart as a standalone SVG file: the chart recharts drew, under its title and a legend, on white, so
// that it reads on its own in a paper or a slide.

export interface ChartFigure {
  title: string;
  /** What the x axis counts, e.g. "Iteration". */
  xLabel: string;
  legend: { label: string; color: string }[];
  /** One line under the legend, e.g. how seeds are summarised. */
  note: string;
}

const PAD = 12;
const TITLE_SIZE = 14;
const TEXT_SIZE = 11;
const LINE = 18;
const SWATCH = 14;
const CHAR_WIDTH = 0.6 * TEXT_SIZE; // a generous average advance, to space legend entries without measuring text

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

export interface StandaloneSvg {
  svg: string;
  width: number;
  height: number;
}

/**
 * The file: `chart` is the serialised <svg> recharts drew, `width` × `height` px, placed under the title,
 * legend and note; the x axis is named under it.
 */
export function standaloneChartSvg(chart: string, width: number, height: number, figure: ChartFigure, fontFamily: string): StandaloneSvg {
  const top = PAD + TITLE_SIZE + 3 * LINE;
  const total = top + height + LINE + PAD;
  let x = PAD;
  const legend = figure.legend.map(({ label, color }) => {
    const entry =
      `<rect x="${x}" y="${PAD + TITLE_SIZE + LINE - 7}" width="${SWATCH}" height="4" rx="1" fill="${escapeXml(color)}"/>` +
      `<text x="${x + SWATCH + 4}" y="${PAD + TITLE_SIZE + LINE}">${escapeXml(label)}</text>`;
    x += SWATCH + 4 + label.length * CHAR_WIDTH + 14;
    return entry;
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="${escapeXml(fontFamily)}" font-size="${TEXT_SIZE}" fill="#1b1f24">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${PAD}" y="${PAD + TITLE_SIZE}" font-size="${TITLE_SIZE}" font-weight="600">${escapeXml(figure.title)}</text>`,
    ...legend,
    `<text x="${PAD}" y="${PAD + TITLE_SIZE + 2 * LINE}" fill="#4a5360">${escapeXml(figure.note)}</text>`,
    `<g transform="translate(0 ${top})">${chart}</g>`,
    `<text x="${width / 2}" y="${top + height + LINE}" text-anchor="middle" fill="#4a5360">${escapeXml(figure.xLabel)}</text>`,
    '</svg>',
  ].join('\n');
  return { svg, width, height: total };
}
