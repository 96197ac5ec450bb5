import { describe, expect, it, vi } from 'vitest';
import { armLabels } from '../../src/experiment/arms';
import { DEFAULT_RUN_CONFIG } from '../../src/experiment/config';
import { DEFAULT_SETUP, type PageSetup } from '../../src/experiment/setup';
import { type Address, createPageStore } from '../../src/ui/store';

/** A stand-in for window's location and history: replaceState moves the address as a browser would. */
function fakeWindow(search: string) {
  const location = { search, pathname: '/lab/', hash: '' };
  const replaceState = vi.fn((_data: unknown, _unused: string, url: string) => {
    location.search = new URL(url, 'http://x').search;
  });
  const address: Address = { location, history: { replaceState } };
  return { address, location, replaceState };
}

describe('the page store', () => {
  it('starts from the address bar, and leaves a default address alone', () => {
    const { address, replaceState } = fakeWindow('');
    const store = createPageStore(address);
    expect(store.getState().setup).toEqual(DEFAULT_SETUP);
    expect(store.getState().notices).toEqual([]);
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('reads a shared link, and rewrites a bad one or a version-1 one to what the page shows, with notices', () => {
    const good = fakeWindow('?v=2&K=12&arm=grpo&arm=tic-grpo,clipMode=zero-grad&arm=dapo&seeds=2');
    const state = createPageStore(good.address).getState();
    expect(state.setup.config).toMatchObject({ algo: 'grpo', K: 12 });
    expect(state.setup.arms).toEqual([
      { algo: 'grpo', overrides: {} },
      { algo: 'tic-grpo', overrides: { clipMode: 'zero-grad' } },
      { algo: 'dapo', overrides: {} },
    ]);
    expect(state.setup.seeds).toBe(2);
    expect(good.replaceState).not.toHaveBeenCalled();

    const bad = fakeWindow('?K=999&arm=nope&G=4');
    const badState = createPageStore(bad.address).getState();
    expect(badState.notices.map((n) => n.param)).toEqual(['K', 'arm', 'arm']);
    expect(bad.location.search).toBe('?v=2&G=4');

    const old = fakeWindow('?v=1&algo=tic-grpo&K=12&compare=grpo,tic-grpo,dapo');
    expect(
      createPageStore(old.address)
        .getState()
        .notices.map((n) => n.param),
    ).toEqual(['algo']);
    // Rewritten as version 2 with what the version-1 defaults meant spelled out.
    expect(old.location.search).toBe('?v=2&K=12&lr=0.0003&temperature=1&task=add&reward=sparse&iterations=200&arm=grpo&arm=tic-grpo&arm=dapo&seeds=1');
  });

  it('validates setField: a valid value reaches the setup and the URL through history.replaceState', () => {
    const { address, location, replaceState } = fakeWindow('');
    const store = createPageStore(address);
    store.getState().setField('K', 6);
    expect(store.getState().setup.config.K).toBe(6);
    expect(store.getState().fieldErrors).toEqual({});
    expect(replaceState).toHaveBeenLastCalledWith(null, '', '/lab/?v=2&K=6');
    expect(location.search).toBe('?v=2&K=6');
  });

  it('validates the seeds per arm as it does a base field', () => {
    const { address, location } = fakeWindow('');
    const store = createPageStore(address);
    store.getState().setField('seeds', 5);
    expect(store.getState().setup.seeds).toBe(5);
    expect(location.search).toBe('?v=2&seeds=5');
    store.getState().setField('seeds', 0);
    expect(store.getState().fieldErrors).toEqual({ seeds: 'must be an integer in [1, 16]' });
    expect(store.getState().draft.seeds).toBe(0);
    expect(store.getState().setup.seeds).toBe(5);
    expect(location.search).toBe('?v=2&seeds=5');
  });

  it('loads a reopened experiment’s setup into every control and the URL, clearing a refused field', () => {
    const { address, location } = fakeWindow('?K=4');
    const store = createPageStore(address);
    store.getState().setField('M', 7);
    expect(store.getState().fieldErrors).toHaveProperty('M');
    const reopened: PageSetup = {
      config: { ...DEFAULT_RUN_CONFIG, K: 2, iterations: 10 },
      arms: [
        { algo: 'tic-grpo', overrides: {} },
        { algo: 'dapo', overrides: { lr: 0.001 } },
      ],
      seeds: 4,
    };
    store.getState().loadSetup(reopened);
    expect(store.getState().setup).toEqual(reopened);
    expect(store.getState().draft).toEqual({ ...reopened.config, seeds: 4 });
    expect(store.getState().fieldErrors).toEqual({});
    expect(location.search).toBe('?v=2&K=2&iterations=10&arm=tic-grpo&arm=dapo,lr=0.001&seeds=4');
  });

  it('keeps the last valid config and names the field when a value is refused', () => {
    const { address, location, replaceState } = fakeWindow('?K=4');
    const store = createPageStore(address);
    replaceState.mockClear();
    store.getState().setField('K', 99);
    expect(store.getState().draft.K).toBe(99);
    expect(store.getState().setup.config.K).toBe(4);
    expect(store.getState().fieldErrors).toEqual({ K: 'must be an integer in [1, 64]' });
    expect(replaceState).not.toHaveBeenCalled();

    store.getState().setField('M', 7);
    expect(store.getState().fieldErrors).toEqual({ K: 'must be an integer in [1, 64]', M: 'must divide N = B·G = 64' });
    store.getState().setField('K', 5);
    expect(store.getState().fieldErrors).toEqual({ M: 'must divide N = B·G = 64' });
    expect(store.getState().setup.config).toMatchObject({ K: 4, M: 16 });
    // Fixing N instead of M makes the whole draft valid, and all of it lands.
    store.getState().setField('B', 7);
    expect(store.getState().fieldErrors).toEqual({});
    expect(store.getState().setup.config).toMatchObject({ K: 5, B: 7, M: 7 });
    expect(location.search).toBe('?v=2&K=5&B=7&M=7');
  });

  it('adds, duplicates, re-presets and removes arms, each change in the URL, never the last arm', () => {
    const { address, location } = fakeWindow('');
    const store = createPageStore(address);
    const s = () => store.getState();
    s().addArm();
    expect(s().setup.arms.map((a) => a.algo)).toEqual(['grpo', 'tic-grpo', 'no-is']);
    expect(location.search).toBe('?v=2&arm=grpo&arm=tic-grpo&arm=no-is');
    s().duplicateArm(0);
    s().setOverride(1, 'K', 1);
    expect(location.search).toBe('?v=2&arm=grpo&arm=grpo,K=1&arm=tic-grpo&arm=no-is');
    s().setArmPreset(3, 'gspo');
    s().removeArm(2);
    expect(location.search).toBe('?v=2&arm=grpo&arm=grpo,K=1&arm=gspo');
    s().setArms([{ algo: 'dapo', overrides: {} }]);
    s().removeArm(0);
    expect(s().armErrors).toEqual({ 0: 'an experiment needs at least one arm' });
    expect(location.search).toBe('?v=2&arm=dapo');
    s().duplicateArm(0);
    expect(s().armErrors).toEqual({});
    expect(s().setup.arms).toEqual([
      { algo: 'dapo', overrides: {} },
      { algo: 'dapo', overrides: {} },
    ]);
  });

  it('checks an override with its field’s schema, then the arm as a whole, refusing it by arm and keeping the arm', () => {
    const { address, location } = fakeWindow('');
    const store = createPageStore(address);
    const s = () => store.getState();
    s().setOverride(1, 'clipMode', 'zero-grad');
    s().setOverride(1, 'epsHigh', '0.5'); // as typed in the box
    expect(s().setup.arms[1]).toEqual({ algo: 'tic-grpo', overrides: { clipMode: 'zero-grad', epsHigh: 0.5 } });
    expect(location.search).toBe('?v=2&arm=grpo&arm=tic-grpo,epsHigh=0.5,clipMode=zero-grad');
    s().setOverride(1, 'K', 'abc');
    expect(s().armErrors).toEqual({ 1: 'K: must be an integer in [1, 64] (got "abc")' });
    s().setOverride(0, 'clipMode', 'sideways');
    expect(s().armErrors).toEqual({ 0: 'clipMode: must be one of truncate, zero-grad (got "sideways")' });
    // In range, but not a divisor of N = B·G = 64.
    s().setOverride(0, 'M', 7);
    expect(s().armErrors).toEqual({ 0: 'M: must divide N = B·G = 64 (got 7)' });
    expect(location.search).toBe('?v=2&arm=grpo&arm=tic-grpo,epsHigh=0.5,clipMode=zero-grad');
    s().removeOverride(1, 'epsHigh');
    expect(s().armErrors).toEqual({});
    expect(location.search).toBe('?v=2&arm=grpo&arm=tic-grpo,clipMode=zero-grad');
  });

  it('varies one field of an arm into one arm per value, refusing a list with a bad value', () => {
    const { address, location } = fakeWindow('?v=2&arm=grpo&arm=tic-grpo,clipMode=zero-grad');
    const store = createPageStore(address);
    const s = () => store.getState();
    s().varyField(1, 'K', ['1', '2', 'x']);
    expect(s().armErrors).toEqual({ 1: 'K: must be an integer in [1, 64] (got "x")' });
    s().varyField(1, 'K', []);
    expect(s().armErrors).toEqual({ 1: 'K: list at least one value' });
    expect(s().setup.arms).toHaveLength(2);
    s().varyField(1, 'K', ['1', '2', '4']);
    expect(s().setup.arms).toEqual([
      { algo: 'grpo', overrides: {} },
      { algo: 'tic-grpo', overrides: { clipMode: 'zero-grad', K: 1 } },
      { algo: 'tic-grpo', overrides: { clipMode: 'zero-grad', K: 2 } },
      { algo: 'tic-grpo', overrides: { clipMode: 'zero-grad', K: 4 } },
    ]);
    expect(armLabels(s().setup.arms, s().setup.config)).toEqual(['GRPO', 'TIC-GRPO zero-grad K=1', 'TIC-GRPO zero-grad K=2', 'TIC-GRPO zero-grad K=4']);
    expect(location.search).toBe('?v=2&arm=grpo&arm=tic-grpo,clipMode=zero-grad,K=1&arm=tic-grpo,clipMode=zero-grad,K=2&arm=tic-grpo,clipMode=zero-grad,K=4');
  });

  it('keeps the base as it was while an arm cannot train over the fields shown, and takes them once it can', () => {
    const { address, location } = fakeWindow('?v=2&arm=grpo&arm=grpo,M=32');
    const store = createPageStore(address);
    const s = () => store.getState();
    s().setField('B', 2); // N = 16: the base's M = 16 fits, the second arm's M = 32 does not
    expect(s().fieldErrors).toEqual({});
    expect(s().baseConflict).toBe('arm 2 (GRPO M=32) cannot train with these fields: M: must divide N = B·G = 16 (got 32)');
    expect(s().setup.config.B).toBe(8);
    expect(location.search).toBe('?v=2&arm=grpo&arm=grpo,M=32');
    s().removeOverride(1, 'M');
    expect(s().baseConflict).toBeNull();
    expect(s().setup.config.B).toBe(2);
    expect(location.search).toBe('?v=2&B=2&arm=grpo&arm=grpo');
  });

  it('resets to the defaults, clearing errors, notices and the query', () => {
    const { address, location } = fakeWindow('?K=4&zz=1');
    const store = createPageStore(address);
    store.getState().setField('G', 1);
    store.getState().resetDefaults();
    const state = store.getState();
    expect(state.setup).toEqual(DEFAULT_SETUP);
    expect(state.draft).toEqual({ ...DEFAULT_RUN_CONFIG, seeds: 3 });
    expect([state.fieldErrors, state.notices, state.armErrors, state.baseConflict]).toEqual([{}, [], {}, null]);
    expect(location.search).toBe('');
  });
});
