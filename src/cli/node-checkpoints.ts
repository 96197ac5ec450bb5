import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CHECKPOINT_DIR } from '../experiment/checkpoints';
import type { CheckpointLoader } from '../experiment/base-model';
import type { Args } from './args';

const DIR = fileURLToPath(new URL(`../../public/${CHECKPOINT_DIR}/`, import.meta.url));

/** Base checkpoints from public/checkpoints/ on disk. */
export const loadCheckpointFromDisk: CheckpointLoader = async (name) => new Uint8Array(await readFile(DIR + name));

/** `--checkpoint FILE` starts from that file instead of the task's shipped base model. */
export function checkpointLoaderFromArgs(args: Args): CheckpointLoader {
  const file = args.string('checkpoint', '');
  return file === '' ? loadCheckpointFromDisk : async () => new Uint8Array(await readFile(file));
}
