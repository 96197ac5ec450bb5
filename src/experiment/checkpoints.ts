import type { ModelPreset } from '../model/config';
import type { TaskName } from '../tasks';

/** Base models ship in public/checkpoints/ (made by `npm run cli -- make-checkpoints`), one per task and model preset. */
export const CHECKPOINT_DIR = 'checkpoints';

export function baseCheckpointName(task: TaskName, model: ModelPreset): string {
  return `${task}-${model}.ckpt`;
}
