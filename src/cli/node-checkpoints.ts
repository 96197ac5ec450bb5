import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CHECKPOINT_DIR } from '../experiment/checkpoints';
import type { CheckpointLoader } from '../experiment/run';

const DIR = fileURLToPath(new URL(`../../public/${CHECKPOINT_DIR}/`, import.meta.url));

/** Base checkpoints from public/checkpoints/ on disk. */
export const loadCheckpointFromDisk: CheckpointLoader = async (name) => new Uint8Array(await readFile(DIR + name));
