import { describe, expect, it } from 'vitest';
import { armConfig } from '../../src/experiment/arms';
import { makeRunConfig } from '../../src/experiment/config';
import { coincidences, STUDIES, STUDY_NAMES, study, studyArms } from '../../src/experiment/studies';

describe.each(STUDY_NAMES)('study %s', (name) => {
  const s = STUDIES[name];

  it('resolves every arm to a valid config on every task it lists, with unique labels and its reference among them', () => {
    const tasks = studyArms(name);
    expect(tasks.map((t) => t.task)).toEqual(s.tasks.map((t) => t.task));
    for (const t of tasks) {
      expect(t.arms).toHaveLength(s.arms.length);
      for (const { config } of t.arms) expect(config.task).toBe(t.task);
      const labels = t.arms.map((a) => a.label);
      expect(new Set(labels).size, labels.join(', ')).toBe(labels.length);
      expect(labels).toContain(t.reference);
    }
  });

  it('keeps its tuning seeds apart from its verdict seeds', () => {
    expect(s.seeds.verdict).toEqual([1, 2, 3, 4, 5]);
    expect(s.seeds.tune.filter((seed) => (s.seeds.verdict as readonly number[]).includes(seed))).toEqual([]);
  });

  it('has no arms that coincide by construction', () => {
    for (const t of studyArms(name)) expect(t.coincide, t.task).toEqual([]);
  });
});

describe('coincidences', () => {
  const base = makeRunConfig({ task: 'reverse' });
  const at = (algo: 'grpo' | 'tic-grpo' | 'no-is', overrides = {}) => armConfig(base, { algo, overrides });

  it('flags equal configs', () => {
    expect(coincidences([at('grpo'), at('tic-grpo'), at('grpo')])).toEqual([{ arms: [0, 2], kind: 'equal', note: expect.any(String) }]);
  });

  it('flags GRPO, No-IS and TIC-GRPO at K = 1 with AdamW, and only GRPO with No-IS at K = 1 with SGD', () => {
    expect(coincidences([at('grpo', { K: 1 }), at('tic-grpo', { K: 1 }), at('no-is', { K: 1 })]).map((c) => c.arms)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(coincidences([at('grpo', { K: 1 }), at('tic-grpo', { K: 1 })]).map((c) => c.kind)).toEqual(['k1']);
    expect(coincidences([at('grpo', { K: 1, optimizer: 'sgd' }), at('tic-grpo', { K: 1, optimizer: 'sgd' })])).toEqual([]);
    expect(coincidences([at('no-is', { K: 1, optimizer: 'sgd' }), at('tic-grpo', { K: 1, optimizer: 'sgd' })])).toEqual([]);
    expect(coincidences([at('grpo', { K: 1, optimizer: 'sgd' }), at('no-is', { K: 1, optimizer: 'sgd' })]).map((c) => c.kind)).toEqual(['k1']);
    expect(coincidences([at('grpo', { K: 2 }), at('tic-grpo', { K: 2 })])).toEqual([]);
    expect(coincidences([at('grpo', { K: 1 }), at('tic-grpo', { K: 1, beta: 0 })])).toEqual([]); // β acts at ratio 1 too
  });
});

it('refuses an unknown study, listing the known ones', () => {
  expect(() => study('nope')).toThrow(`unknown study "nope"; known: ${STUDY_NAMES.join(', ')}`);
});
