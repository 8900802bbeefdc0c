import { describe, expect, it } from 'vitest';
import type { LabExport, LabExportModel } from '../../src/ui/lab/results';
import { formatRunTable } from './table';

const interval = (mean: number, lower: number, upper: number) => ({ mean, lower, upper });

const model = (changes: Partial<LabExportModel> & { model: string }): LabExportModel => ({
  config: {},
  metrics: {
    'HR@10': interval(0.1, 0.08, 0.12),
    'NDCG@10': interval(0.05, 0.04, 0.06),
    MRR: interval(0.03, 0.025, 0.035),
  },
  beyondAccuracy: {},
  trainMs: 1500,
  evalMs: 250,
  usersEvaluated: 200,
  curve: [],
  ...changes,
});

const run: LabExport = {
  tool: 'aisle-lab',
  dataset: {
    key: 'k',
    contentHash: '0123456789abcdef',
    name: 'tiny.txt',
    format: 'sequences',
    stats: {
      users: 200,
      items: 50,
      interactions: 1000,
      density: 0.1,
      minPerUser: 3,
      maxPerUser: 9,
      meanPerUser: 5,
      linesRead: 200,
      rowsSkipped: 0,
      hasTimestamps: false,
    },
  },
  split: { kind: 'leave-one-out', maxHistory: 50 },
  protocol: 'full ranking',
  protocolSpec: { kind: 'full' },
  ks: [10],
  seed: 3,
  backend: { active: 'cpu', reason: 'as you asked', adapter: null },
  startedAt: '2026-01-01T00:00:00.000Z',
  totalMs: 4250,
  models: [
    model({
      model: 'popularity',
      published: { model: 'PopRec (lastfm)', source: 'S3-Rec', hr10: 0.1, ndcg10: 0.05 },
    }),
    model({
      model: 'mf',
      config: { epochs: 2 },
      epochsTrained: 4,
      keptEpoch: 2,
      stoppedEarly: true,
      trials: [
        { params: { dim: 16 }, validationNdcg10: 0.04, bestEpoch: 3 },
        { params: { dim: 32 }, validationNdcg10: 0.06, bestEpoch: 2 },
      ],
    }),
    model({
      model: 'hybrid',
      blend: {
        components: [
          { name: 'itemknn', weight: 1.25, trainMs: 400, cached: true },
          { name: 'popularity', weight: -0.5, trainMs: 50 },
          {
            name: 'sasrec',
            weight: 2,
            trainMs: 900,
            epochs: {
              validationNdcg10: [0.01, 0.03, 0.02],
              keptEpoch: 2,
              stoppedEarly: true,
              trainedNow: 1,
              epochChoiceUsers: 545,
            },
          },
        ],
        bias: 0,
        cases: 180,
        examples: 360,
        fitMs: 12,
        servedBy: 'itemknn',
        decision: {
          metric: 'NDCG@10',
          users: 180,
          blend: {
            name: 'blend',
            ndcg: { mean: 0.0403, lower: 0.038, upper: 0.0426, confidence: 0.95 },
            hr: 0.08,
          },
          components: [
            {
              name: 'itemknn',
              ndcg: { mean: 0.0481, lower: 0.045, upper: 0.051, confidence: 0.95 },
              hr: 0.09,
            },
            {
              name: 'popularity',
              ndcg: { mean: 0.01, lower: 0.008, upper: 0.012, confidence: 0.95 },
              hr: 0.02,
            },
          ],
          bestComponent: 'itemknn',
          // 0.0403 / 0.0481
          ratioToBest: 0.8378,
          difference: { mean: -0.0078, lower: -0.01, upper: -0.005, confidence: 0.95 },
          explanation: 'itemknn serves',
        },
      },
    }),
  ],
};

/** A table line cut at its column gaps (two spaces or more). */
const cells = (line: string) => line.trim().split(/\s{2,}/);

describe('formatRunTable', () => {
  const lines = formatRunTable(run).split('\n');

  it('heads the table with the dataset, protocol and backend', () => {
    expect(lines.slice(0, 4)).toStrictEqual([
      'dataset   tiny.txt: 200 users, 50 items, 1000 interactions (hash 0123456789abcdef)',
      'protocol  full ranking; split {"kind":"leave-one-out","maxHistory":50}; seed 3',
      'backend   cpu: as you asked',
      '',
    ]);
  });

  it('gives each model its intervals, kept epoch and times, with published numbers and blend weights', () => {
    expect(cells(lines[4])).toStrictEqual([
      'model',
      'HR@10',
      'NDCG@10',
      'MRR',
      'kept epoch',
      'train',
      'eval',
    ]);
    const row = ['0.1000 [0.0800, 0.1200]', '0.0500 [0.0400, 0.0600]', '0.0300 [0.0250, 0.0350]'];
    expect(cells(lines[5])).toStrictEqual(['popularity', ...row, '—', '1.50 s', '0.25 s']);
    expect(cells(lines[6])).toStrictEqual(['published', '0.1000', '0.0500', 'PopRec (lastfm)']);
    expect(cells(lines[7])).toStrictEqual(['mf', ...row, '2/4 early', '1.50 s', '0.25 s']);
    expect(cells(lines[8])).toStrictEqual(['hybrid', ...row, '—', '1.50 s', '0.25 s']);
    expect(lines[9]).toBe(
      '  blend     itemknn 1.250 (0.4 s, from the model cache), popularity -0.500 (0.1 s), sasrec 2.000 (0.9 s); fitted on 180 validation users',
    );
    expect(lines[10]).toBe(
      '  epochs    sasrec validation NDCG@10 on 545 users by epoch 0.0100 0.0300 0.0200; kept epoch 2 of 3 (stopped early, 1 trained by this run)',
    );
    expect(lines[11]).toBe(
      '  serves    served by itemknn: blend NDCG@10 0.0403 [0.0380, 0.0426] is 0.84× itemknn alone (0.0481), on 180 validation users',
    );
  });

  it('ends with the best trial of each tuned model and the users evaluated', () => {
    expect(lines.slice(12)).toStrictEqual([
      'tuned     mf: 2 trials, best validation NDCG@10 0.0600 at epoch 2; kept config {"epochs":2}',
      '',
      'users evaluated: popularity 200, mf 200, hybrid 200; total 4.25 s in the page',
    ]);
  });
});

describe('formatRunTable with a final fit on train + validation', () => {
  const finalFit: NonNullable<LabExportModel['finalFit']> = {
    training: 'train+validation',
    config: { components: 'itemknn,sasrec', 'sasrec.epochs': 13 },
    epochs: [{ name: 'sasrec', epochs: 13 }],
    servedBy: 'blend',
    cached: ['itemknn'],
    metrics: {
      'HR@10': interval(0.11, 0.09, 0.13),
      'NDCG@10': interval(0.0575, 0.045, 0.07),
      MRR: interval(0.032, 0.026, 0.038),
    },
    beyondAccuracy: {},
    differences: { 'HR@10': interval(0.01, -0.002, 0.021), 'NDCG@10': interval(0.0075, 0.001, 0.014) },
    trainMs: 2500,
    evalMs: 500,
  };
  const lines = formatRunTable({ ...run, models: [model({ model: 'hybrid', finalFit })] }).split('\n');

  it('puts the final fit under the standard line, with its epochs and the paired difference', () => {
    const row = ['0.1000 [0.0800, 0.1200]', '0.0500 [0.0400, 0.0600]', '0.0300 [0.0250, 0.0350]'];
    expect(cells(lines[5])).toStrictEqual(['hybrid', ...row, '—', '1.50 s', '0.25 s']);
    expect(cells(lines[6])).toStrictEqual([
      'final fit',
      '0.1100 [0.0900, 0.1300]',
      '0.0575 [0.0450, 0.0700]',
      '0.0320 [0.0260, 0.0380]',
      'sasrec 13',
      '2.50 s',
      '0.50 s',
    ]);
    expect(lines[7]).toBe(
      '  refit     trained on train+validation with the choices above (serves blend); from the model cache: itemknn; final − standard, same users: HR@10 +0.0100 [-0.0020, 0.0210], NDCG@10 +0.0075 [0.0010, 0.0140]',
    );
  });
});
