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

/** "grpo-lab-add-grpo-vs-tic-grpo-2025-11-22-0340-reward.svg": what ran, when, and what the file holds. */
export function exportName({ createdAt, setup }: ExperimentInfo, what: string, extension: string): string {
  const when = new Date(createdAt).toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  return `grpo-lab-${setup.config.task}-${setup.compare.join('-vs-')}-${when}${what ? `-${what}` : ''}.${extension}`;
}
