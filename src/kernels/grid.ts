import { REQUESTED_LIMITS } from '../gpu/limits';

const MAX_PER_DIMENSION = REQUESTED_LIMITS.maxComputeWorkgroupsPerDimension;

/**
 * Workgroup counts [x, y] that cover `groups` workgroups when one dimension cannot hold them all
 * (more than 65535). The shader flattens them back, `group = wg.y * num_workgroups.x + wg.x`,
 * and skips the few groups past the end. `groups` is at least 1.
 */
export function grid2d(groups: number): [number, number] {
  const x = Math.min(groups, MAX_PER_DIMENSION);
  return [x, Math.ceil(groups / x)];
}
