import { describe, expect, it, vi } from 'vitest';
import { applyPreset, DEFAULT_RUN_CONFIG } from '../../src/experiment/config';
import { DEFAULT_SETUP } from '../../src/experiment/setup';
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

  it('reads a shared link, and rewrites a bad one to what the page shows, with notices', () => {
    const good = fakeWindow('?v=1&algo=tic-grpo&K=12&compare=grpo,tic-grpo,dapo');
    const state = createPageStore(good.address).getState();
    expect(state.setup.config).toMatchObject({ algo: 'tic-grpo', K: 12, epsHigh: 0.28 });
    expect(state.setup.compare).toEqual(['grpo', 'tic-grpo', 'dapo']);
    expect(good.replaceState).not.toHaveBeenCalled();

    const bad = fakeWindow('?K=999&algo=nope&G=4');
    const badState = createPageStore(bad.address).getState();
    expect(badState.notices.map((n) => n.param)).toEqual(['algo', 'K']);
    expect(bad.location.search).toBe('?v=1&G=4');
  });

  it('validates setField: a valid value reaches the setup and the URL through history.replaceState', () => {
    const { address, location, replaceState } = fakeWindow('');
    const store = createPageStore(address);
    store.getState().setField('K', 4);
    expect(store.getState().setup.config.K).toBe(4);
    expect(store.getState().fieldErrors).toEqual({});
    expect(replaceState).toHaveBeenLastCalledWith(null, '', '/lab/?v=1&K=4');
    expect(location.search).toBe('?v=1&K=4');
  });

  it('loads a reopened experiment’s setup into every control and the URL, clearing a refused field', () => {
    const { address, location } = fakeWindow('?K=4');
    const store = createPageStore(address);
    store.getState().setField('M', 7);
    expect(store.getState().fieldErrors).toHaveProperty('M');
    const reopened = { config: { ...applyPreset(DEFAULT_RUN_CONFIG, 'tic-grpo'), K: 2, iterations: 10 }, compare: ['tic-grpo' as const, 'dapo' as const] };
    store.getState().loadSetup(reopened);
    expect(store.getState().setup).toEqual(reopened);
    expect(store.getState().draft).toEqual(reopened.config);
    expect(store.getState().fieldErrors).toEqual({});
    expect(location.search).toBe('?v=1&algo=tic-grpo&K=2&iterations=10&compare=tic-grpo,dapo');
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
    expect(location.search).toBe('?v=1&K=5&B=7&M=7');
  });

  it('applies a preset when the algorithm changes, through setField or setAlgo', () => {
    const { address, location } = fakeWindow('?epsHigh=0.5&K=2');
    const store = createPageStore(address);
    store.getState().setField('algo', 'dapo');
    expect(store.getState().setup.config).toEqual({ ...applyPreset(DEFAULT_RUN_CONFIG, 'dapo'), K: 2 });
    expect(location.search).toBe('?v=1&algo=dapo&K=2');
    store.getState().setAlgo('grpo');
    expect(location.search).toBe('?v=1&K=2');
    store.getState().setField('algo', 'ppo');
    expect(store.getState().fieldErrors.algo).toMatch(/must be one of/);
    expect(store.getState().setup.config.algo).toBe('grpo');
  });

  it('refuses a comparison of fewer than two presets and keeps the last one', () => {
    const { address, location } = fakeWindow('');
    const store = createPageStore(address);
    store.getState().setCompare(['grpo', 'tic-grpo', 'gspo']);
    expect(location.search).toBe('?v=1&compare=grpo,tic-grpo,gspo');
    store.getState().setCompare(['gspo']);
    expect(store.getState().compareError).toBe('must list at least two presets');
    expect(store.getState().setup.compare).toEqual(['grpo', 'tic-grpo', 'gspo']);
    store.getState().setCompare(['gspo', 'dapo']);
    expect(store.getState().compareError).toBeNull();
    expect(location.search).toBe('?v=1&compare=gspo,dapo');
  });

  it('resets to the defaults, clearing errors, notices and the query', () => {
    const { address, location } = fakeWindow('?K=4&zz=1');
    const store = createPageStore(address);
    store.getState().setField('G', 1);
    store.getState().resetDefaults();
    const state = store.getState();
    expect(state.setup).toEqual(DEFAULT_SETUP);
    expect(state.draft).toEqual(DEFAULT_RUN_CONFIG);
    expect([state.fieldErrors, state.notices, state.compareError]).toEqual([{}, [], null]);
    expect(location.search).toBe('');
  });
});
