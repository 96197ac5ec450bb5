/** Arm colours in arm order, the same in the setup, every chart, legend, progress line and sample viewer (Okabe–Ito, readable with colour-blindness). */
const ARM_PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8c6d1f', '#56b4e9', '#e69f00', '#5b5b5b'] as const;

/** The colour of the arm at `index`; past the palette's eight the colours repeat. */
export function armColor(index: number): string {
  return ARM_PALETTE[index % ARM_PALETTE.length]!;
}
