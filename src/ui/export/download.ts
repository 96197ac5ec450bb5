import { armLabels } from '../../experiment/arms';
import type { ExperimentInfo } from '../training/store';

/** Hands `blob` to the browser as a file download named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0); // after the click has started the download
}

/** Arms named in a file name; more are counted. */
const NAMED_ARMS = 3;

/** "GRPO K=1" as a file name reads it: "grpo-k-1". */
function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "grpo-lab-add-grpo-vs-tic-grpo-2025-11-22-0340-reward.svg": what ran, when, and what the file holds. */
export function exportName({ createdAt, setup }: ExperimentInfo, what: string, extension: string): string {
  const when = new Date(createdAt).toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  const labels = armLabels(setup.arms, setup.config).map(slug);
  const arms = labels.length <= NAMED_ARMS ? labels.join('-vs-') : `${labels[0]}-and-${labels.length - 1}-more`;
  return `grpo-lab-${setup.config.task}-${arms}-${when}${what ? `-${what}` : ''}.${extension}`;
}
