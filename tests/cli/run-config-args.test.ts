import { describe, expect, it } from 'vitest';
import { Args } from '../../src/cli/args';
import { runConfigFromArgs, runGridFromArgs } from '../../src/cli/run-config-args';
import { PRESETS } from '../../src/loss/presets';

const parse = (argv: string[]) => {
  const args = new Args('test', argv);
  const config = runConfigFromArgs(args);
  args.done();
  return config;
};

describe('run flags', () => {
  it('apply the preset, then explicit fields over it', () => {
    const config = parse(['--preset', 'tic-grpo', '--task', 'sort', '--K', '4', '--epsHigh', '0.5']);
    expect(config).toMatchObject({ algo: 'tic-grpo', level: PRESETS['tic-grpo'].loss.level, task: 'sort', K: 4, epsHigh: 0.5 });
  });

  it('refuse a bad value naming the field, and an unknown flag', () => {
    expect(() => parse(['--K', '-2'])).toThrow(/K: must be an integer in \[1, 64\]/);
    expect(() => parse(['--G', '1'])).toThrow(/G: must be an integer in \[2, 64\]/);
    expect(() => parse(['--preset', 'grpo', '--B', '3', '--G', '3', '--M', '2'])).toThrow(/M: must divide N = B·G = 9/);
    expect(() => parse(['--kk', '3'])).toThrow(/unknown flag --kk/);
    // Seeds per arm belong to an experiment on the page, not to a run.
    expect(() => parse(['--seeds', '3'])).toThrow(/unknown flag --seeds/);
  });
});

describe('fields a command would ignore', () => {
  it('are refused with what to do instead, never dropped silently', () => {
    const ignored = { evalEvery: 'it measures no accuracy', K: 'θ takes --drift inner steps' };
    const read = (argv: string[]) => runConfigFromArgs(new Args('run', argv), ignored);
    expect(() => read(['--evalEvery', '3'])).toThrow('--evalEvery is not used by run: it measures no accuracy');
    expect(() => read(['--K', '2', '--evalEvery', '3'])).toThrow(
      '--evalEvery is not used by run: it measures no accuracy; --K is not used by run: θ takes --drift inner steps',
    );
    expect(read(['--seed', '3']).seed).toBe(3);
    expect(() => runGridFromArgs(new Args('sweep', ['--evalEvery', '2']), { evalEvery: 'a sweep evaluates every run' })).toThrow(
      '--evalEvery is not used by sweep',
    );
  });
});

describe('sweep grids', () => {
  it('are the product of every listed field', () => {
    const args = new Args('sweep', ['--K', '1,4,8,16', '--presets', 'grpo,tic-grpo', '--seed', '1,2', '--iterations', '3']);
    const grid = runGridFromArgs(args);
    args.done();
    expect(grid).toHaveLength(16);
    expect(new Set(grid.map((c) => `${c.algo}/${c.K}/${c.seed}`)).size).toBe(16);
    expect(grid.every((c) => c.iterations === 3)).toBe(true);
    expect(grid.filter((c) => c.algo === 'tic-grpo').every((c) => c.level === 'trajectory')).toBe(true);
  });
});
