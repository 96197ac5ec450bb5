import { describe, expect, it } from 'vitest';
import { RUN_FIELD_NAMES } from '../../src/config/fields';
import { standaloneChartSvg } from '../../src/ui/export/chart-svg';
import { exportName } from '../../src/ui/export/download';
import { readExperimentFile, writeExperimentFile } from '../../src/ui/export/experiment-file';
import { METRIC_COLUMNS } from '../../src/experiment/metric-columns';
import { metricsCsv } from '../../src/ui/export/metrics-csv';
import type { ShownExperiment } from '../../src/ui/training/store';
import { shownExperiment } from './experiments';
import { SETUP } from './fake-worker';
import { point } from './points';

/** The SETUP experiment (2 arms × seeds 5 and 6, 2 iterations each), with a NaN, an infinity and an exact decimal to carry. */
function experiment(): ShownExperiment {
  const e = shownExperiment('lq3k-ab12', Date.UTC(2025, 10, 22, 3, 40));
  e.runs[1]!.metrics[0] = point(0, { ratioMean: Number.NaN, ratioMax: Number.POSITIVE_INFINITY, kl: 0.1 + 0.2, accuracy: 0.25 });
  e.runs[3]!.state = 'interrupted';
  e.notices = ['No base model for add/tiny yet'];
  return e;
}

/** Why readExperimentFile refuses `value` (a file's text, or its JSON). */
function errorOf(value: unknown): string {
  const read = readExperimentFile(typeof value === 'string' ? value : JSON.stringify(value));
  return 'error' in read ? read.error : 'read without error';
}

describe('the metric columns', () => {
  it('are every number an iteration measures', () => {
    const { inner, ...numbers } = point(0);
    expect(inner).toEqual([]);
    expect([...METRIC_COLUMNS].sort()).toEqual(Object.keys(numbers).sort());
  });
});

describe('the CSV export', () => {
  const csv = metricsCsv(experiment());
  const [header, ...rows] = csv
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));

  it('has one row per run and iteration: arm (its label), seed, the run’s full configuration, then every metric', () => {
    const fields = RUN_FIELD_NAMES.filter((f) => f !== 'seed').map((f) => (f === 'kl' ? 'config.kl' : f));
    expect(header).toEqual(['arm', 'seed', ...fields, ...METRIC_COLUMNS]);
    expect(new Set(header).size).toBe(header!.length);
    expect(rows).toHaveLength(4 * 2);
    expect(rows.map((r) => `${r[0]} ${r[1]} ${r[header!.indexOf('iteration')]}`)).toEqual([
      'GRPO 5 0',
      'GRPO 5 1',
      'TIC-GRPO 5 0',
      'TIC-GRPO 5 1',
      'GRPO 6 0',
      'GRPO 6 1',
      'TIC-GRPO 6 0',
      'TIC-GRPO 6 1',
    ]);
    for (const row of rows) expect(row).toHaveLength(header!.length);
  });

  it('gives each arm its own loss fields and writes every number exactly', () => {
    const col = (name: string) => header!.indexOf(name);
    const tic = rows[2]!;
    expect([tic[col('algo')], tic[col('level')], tic[col('epsHigh')], tic[col('K')], tic[col('config.kl')]]).toEqual([
      'tic-grpo',
      'trajectory',
      '0.28',
      '8',
      'k3',
    ]);
    expect([rows[0]![col('level')], rows[0]![col('epsHigh')]]).toEqual(['token', '0.2']);
    expect([tic[col('kl')], tic[col('ratioMean')], tic[col('ratioMax')], tic[col('accuracy')]]).toEqual(['0.30000000000000004', 'NaN', 'Infinity', '0.25']);
    expect(rows[0]![col('accuracy')]).toBe(''); // not measured on that iteration
    expect(rows[1]![col('rewardMean')]).toBe('5.1');
  });

  it('writes an arm with overrides under its label, with the config its overrides make', () => {
    const e = experiment();
    e.setup = { ...e.setup, arms: [e.setup.arms[0]!, { algo: 'tic-grpo', overrides: { K: 1, clipMode: 'zero-grad' } }] };
    for (const run of e.runs) if (run.arm === 'TIC-GRPO') run.arm = 'TIC-GRPO zero-grad K=1';
    const lines = metricsCsv(e).trimEnd().split('\n');
    const col = (name: string) => lines[0]!.split(',').indexOf(name);
    const tic = lines[3]!.split(',');
    expect([tic[0], tic[col('K')], tic[col('clipMode')], tic[col('algo')]]).toEqual(['TIC-GRPO zero-grad K=1', '1', 'zero-grad', 'tic-grpo']);
  });
});

describe('the JSON export', () => {
  it('reads back as the same experiment (NaN and ±Infinity, which JSON cannot hold, come back as NaN)', () => {
    const original = experiment();
    const text = writeExperimentFile(original, new Date(Date.UTC(2025, 10, 23)));
    const head = JSON.parse(text);
    expect([head.format, head.version, head.exportedAt, head.createdAt]).toEqual([
      'grpo-lab-experiment',
      2,
      '2025-11-23T00:00:00.000Z',
      '2025-11-22T03:40:00.000Z',
    ]);
    const read = readExperimentFile(text);
    if (!('experiment' in read)) throw new Error(read.error);
    original.runs[1]!.metrics[0]!.ratioMax = Number.NaN;
    expect(read.experiment).toEqual(original);
    expect(head.setup).toEqual({ config: original.setup.config, arms: original.setup.arms, seeds: 2 });
  });

  const file = () => JSON.parse(writeExperimentFile(experiment(), new Date()));

  it('refuses what is not an experiment file, or one of another version, saying so', () => {
    expect(errorOf('{"runs": [')).toMatch(/^The file is not JSON: .+\.$/);
    expect(errorOf([1, 2])).toBe('This is not a GRPO Lab experiment file: it has no "format": "grpo-lab-experiment".');
    expect(errorOf({ ...file(), version: 3 })).toBe('This file is in format version 3; this page reads versions 1 and 2.');
    expect(errorOf({ ...file(), version: undefined })).toBe('This file is in format version undefined; this page reads versions 1 and 2.');
  });

  it('names every field that is wrong, by its path', () => {
    const f = file();
    f.runs[0].metrics[1].kl = 'high';
    f.setup.config.K = 999;
    delete f.runs[2].state;
    expect(errorOf(f)).toBe(
      'The file does not match format version 2: setup.config.K: must be an integer in [1, 64]; runs.0.metrics.1.kl: Invalid input: expected number, received string; runs.2.state: Invalid option: expected one of "loading"|"running"|"paused"|"done"|"failed"|"interrupted".',
    );
    const g = file();
    g.runs[3].arm = 'DAPO';
    g.surprise = true;
    expect(errorOf(g)).toMatch(/^The file does not match format version 2: .*Unrecognized key: "surprise"/);
    delete g.surprise;
    expect(errorOf(g)).toBe("The file does not match format version 2: runs.3: DAPO with seed 6 is not one of the setup's runs.");
  });

  it('names a bad arm field by its arm and field, and an arm that cannot train over the base', () => {
    const f = file();
    f.setup.arms[1].overrides = { clipMode: 'sideways', K: 2 };
    expect(errorOf(f)).toBe('The file does not match format version 2: setup.arms.1.overrides.clipMode: must be one of truncate, zero-grad.');
    f.setup.arms[1].overrides = { seed: 3 };
    expect(errorOf(f)).toBe('The file does not match format version 2: setup.arms.1.overrides: Unrecognized key: "seed".');
    f.setup.arms[1].overrides = { M: 7 };
    expect(errorOf(f)).toMatch(/^The file does not match format version 2: setup.arms.1: M: must divide N = B·G = 64 \(got 7\)/);
    f.setup.arms = [];
    expect(errorOf(f)).toMatch(/^The file does not match format version 2: setup.arms: must list at least one arm/);
  });
});

describe('the summary in the JSON export', () => {
  /** The experiment with held-out accuracy: seed 5 evaluated in both arms, seed 6 in neither yet. */
  function evaluated(): ShownExperiment {
    const e = experiment();
    e.runs[0]!.metrics[0] = point(0, { startAccuracy: 0.2, accuracy: 0.3 });
    e.runs[1]!.metrics[0] = point(0, { startAccuracy: 0.2, accuracy: 0.5 });
    return e;
  }

  it('is the summary under the reference and threshold chosen, as sweep writes summary.json: NaN written as null', () => {
    const head = JSON.parse(writeExperimentFile(evaluated(), new Date(), { reference: 'TIC-GRPO', threshold: 0.4 }));
    expect([head.summary.reference, head.summary.threshold]).toEqual(['TIC-GRPO', 0.4]);
    const [grpo, tic] = head.summary.arms;
    expect([grpo.label, grpo.algo, grpo.overrides, grpo.seeds]).toEqual(['GRPO', 'grpo', {}, [5, 6]]);
    expect(grpo.statistics.end).toEqual({ mean: 0.3, ci95: null, n: 1, perSeed: [0.3, null] });
    expect(grpo.statistics.toThreshold.perSeed).toEqual([null, null]);
    expect(grpo.versusReference.end).toMatchObject({ n: 1, verdict: 'too few seeds' });
    expect(grpo.versusReference.end.mean).toBeCloseTo(-0.2, 12);
    expect(tic.versusReference).toBeNull();
    // Without a choice: against the first arm, to 50%.
    expect(JSON.parse(writeExperimentFile(evaluated(), new Date())).summary).toMatchObject({ reference: 'GRPO', threshold: 0.5 });
  });

  it('is read back or absent alike: files exported before it have none', () => {
    const text = writeExperimentFile(evaluated(), new Date(), { reference: 'TIC-GRPO', threshold: 0.4 });
    const withSummary = readExperimentFile(text);
    const { summary, ...older } = JSON.parse(text);
    expect(summary).toBeDefined();
    const without = readExperimentFile(JSON.stringify(older));
    if (!('experiment' in withSummary) || !('experiment' in without)) throw new Error('refused');
    expect(withSummary.experiment).toEqual(without.experiment);
  });

  it('is refused, naming the field, where it is malformed', () => {
    const f = JSON.parse(writeExperimentFile(evaluated(), new Date()));
    f.summary.arms[1].versusReference.end.verdict = 'great';
    f.summary.threshold = 50;
    expect(errorOf(f)).toMatch(
      /^The file does not match format version 2: summary.threshold: .*; summary.arms.1.versusReference.end.verdict: Invalid option: expected one of "better"/,
    );
  });
});

describe('a version-1 JSON file', () => {
  /** The experiment as version 1 exported it: one config with its seeds and the compared presets, runs keyed by preset, before ratioMin, ess and startAccuracy. */
  function fileV1() {
    const f = JSON.parse(writeExperimentFile(experiment(), new Date(Date.UTC(2025, 10, 23))));
    f.version = 1;
    f.setup = { config: { ...f.setup.config, algo: 'tic-grpo', epsHigh: 0.28, seeds: 2 }, compare: ['grpo', 'tic-grpo'] };
    for (const run of f.runs) {
      run.arm = run.arm === 'GRPO' ? 'grpo' : 'tic-grpo';
      for (const m of run.metrics) for (const name of ['ratioMin', 'ess', 'startAccuracy']) delete m[name];
    }
    return f;
  }

  it('still imports, migrated as a version-1 link is: each compared preset an arm, its algorithm and loss fields dropped', () => {
    const read = readExperimentFile(JSON.stringify(fileV1()));
    if (!('experiment' in read)) throw new Error(read.error);
    const expected = experiment();
    expected.runs[1]!.metrics[0]!.ratioMax = Number.NaN;
    for (const run of expected.runs) for (const m of run.metrics) Object.assign(m, { ratioMin: Number.NaN, ess: Number.NaN, startAccuracy: null });
    expect(read.experiment).toEqual(expected);
    expect(read.experiment.setup).toEqual({ config: SETUP.config, arms: SETUP.arms, seeds: 2 });
  });

  it('is refused, naming the field, where it is malformed', () => {
    const f = fileV1();
    f.setup.compare = ['grpo', 'ppo'];
    const read = readExperimentFile(JSON.stringify(f));
    expect('error' in read && read.error).toMatch(/^The file does not match format version 1: setup.compare.1: Invalid option/);
    const g = fileV1();
    g.runs[0].seed = 9;
    const readG = readExperimentFile(JSON.stringify(g));
    expect('error' in readG && readG.error).toBe("The file does not match format version 1: runs.0: GRPO with seed 9 is not one of the setup's runs.");
  });
});

describe('a chart as a standalone SVG', () => {
  const chart = '<svg xmlns="http://www.w3.org/2000/svg" class="recharts-surface" width="300" height="170"><path d="M0,0L10,10"/></svg>';
  const figure = {
    title: 'KL to π_ref <k3> & more',
    xLabel: 'Iteration',
    legend: [
      { label: 'GRPO', color: '#0072b2' },
      { label: 'TIC-GRPO', color: '#d55e00' },
    ],
    note: 'add, tiny model; one seed per arm',
  };
  const { svg, width, height } = standaloneChartSvg(chart, 300, 170, figure, '"Segoe UI", sans-serif');

  it('puts the drawn chart under its title, legend and note, on white, as well-formed SVG', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="300"')).toBe(true);
    expect([width, height]).toEqual([300, 12 + 14 + 3 * 18 + 170 + 18 + 12]);
    expect(svg).toContain(`height="${height}" viewBox="0 0 300 ${height}"`);
    expect(svg).toContain('KL to π_ref &lt;k3&gt; &amp; more');
    expect(svg).toContain('font-family="&quot;Segoe UI&quot;, sans-serif"');
    expect(svg).toContain(`<g transform="translate(0 80)">${chart}</g>`);
    expect(svg.match(/<rect [^>]*fill="#(0072b2|d55e00)"/g)).toHaveLength(2);
    for (const text of ['>GRPO</text>', '>TIC-GRPO</text>', '>Iteration</text>', '>add, tiny model; one seed per arm</text>']) expect(svg).toContain(text);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});

describe('export file names', () => {
  it('say what ran, when, and what the file holds', () => {
    expect(exportName(experiment(), 'reward', 'svg')).toBe('grpo-lab-add-grpo-vs-tic-grpo-2025-11-22-0340-reward.svg');
    expect(exportName(experiment(), '', 'json')).toBe('grpo-lab-add-grpo-vs-tic-grpo-2025-11-22-0340.json');
    const e = experiment();
    e.setup = {
      ...e.setup,
      arms: [
        { algo: 'grpo', overrides: { K: 1 } },
        { algo: 'tic-grpo', overrides: { epsHigh: 0.5 } },
      ],
    };
    expect(exportName(e, '', 'csv')).toBe('grpo-lab-add-grpo-k-1-vs-tic-grpo-high-0.5-2025-11-22-0340.csv');
    e.setup.arms = ['grpo', 'tic-grpo', 'gspo', 'dapo'].map((algo) => ({ algo: algo as 'grpo', overrides: {} }));
    expect(exportName(e, '', 'csv')).toBe('grpo-lab-add-grpo-and-3-more-2025-11-22-0340.csv');
  });
});
