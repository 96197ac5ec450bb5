import { describe, expect, it } from 'vitest';
import { DEFAULT_TASK_OPTIONS, TASK_NAMES, isTaskName, makeTask } from '../../src/tasks/index';

describe('task registry', () => {
  it('names the four tasks', () => {
    expect(TASK_NAMES).toEqual(['add', 'sort', 'reverse', 'sum-to']);
    expect(isTaskName('sum-to')).toBe(true);
    expect(isTaskName('multiply')).toBe(false);
  });

  it('fills options from the defaults, undefined included', () => {
    expect(makeTask('add', { digits: undefined }).promptLength).toBe(2 * DEFAULT_TASK_OPTIONS.add.digits + 3);
    expect(makeTask('sort', { evalSize: 7 }).evalSet()).toHaveLength(7);
  });

  it('rejects options a task cannot honour', () => {
    expect(() => makeTask('add', { digits: 0 })).toThrow(/add digits/);
    expect(() => makeTask('sort', { digits: 2.5 })).toThrow(/sort digits/);
    expect(() => makeTask('add', { digits: 1, evalSize: 51 })).toThrow(/evalSize must be an integer in \[1, 50\]/);
    expect(() => makeTask('reverse', { evalSize: 0 })).toThrow(/evalSize/);
    expect(() => makeTask('sum-to', { digits: 10 })).toThrow(/sum-to digits/);
  });
});
