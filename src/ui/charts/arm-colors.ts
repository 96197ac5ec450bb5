import type { PresetName } from '../../loss/presets';

/** One colour per algorithm, the same in every chart, legend and sample viewer (Okabe–Ito, readable with colour-blindness). */
export const ARM_COLORS: Record<PresetName, string> = {
  grpo: '#0072b2',
  'tic-grpo': '#d55e00',
  'no-is': '#009e73',
  gspo: '#cc79a7',
  'dr-grpo': '#8c6d1f',
  dapo: '#56b4e9',
};
