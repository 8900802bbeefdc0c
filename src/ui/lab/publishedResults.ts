// Published numbers for datasets the lab recognises, so a run can be read against the
// literature. Copied from the dataset READMEs in ../shared/datasets (amazon-beauty/README.md and
// lastfm/README.md), which cite the S3-Rec paper (Zhou et al., CIKM 2020) and its files.

export interface PublishedScore {
  hr10: number;
  ndcg10: number;
}

export interface PublishedRow {
  model: string;
  /** full ranking, history masked */
  full?: PublishedScore;
  /** 99 negatives: sampled uniformly (amazon-beauty) or the fixed file (lastfm) */
  sampled99?: PublishedScore;
}

export interface PublishedDataset {
  id: 'amazon-beauty' | 'lastfm';
  title: string;
  /** FNV-1a 64 of the exact file (Beauty.txt / LastFM.txt), as the lab's importer computes it */
  contentHash: string;
  counts: { users: number; items: number; interactions: number };
  protocol: string;
  /** what the 99-negatives column means on this dataset */
  sampledNote: string;
  source: string;
  rows: PublishedRow[];
}

const score = (hr10: number, ndcg10: number): PublishedScore => ({ hr10, ndcg10 });

export const publishedDatasets: readonly PublishedDataset[] = [
  {
    id: 'amazon-beauty',
    title: 'Amazon Beauty (S3-Rec preprocessing)',
    contentHash: 'cb80274a61837e7d',
    counts: { users: 22363, items: 12101, interactions: 198502 },
    protocol: 'leave-one-out, sequences truncated to the last 50 items',
    sampledNote: '99 uniformly sampled negatives (the original negatives file for Beauty is not available)',
    source:
      'S3-Rec (Zhou et al., CIKM 2020), github.com/aHuiWang/CIKM2020-S3Rec @ 49a890d; ICLRec row from the salesforce/ICLRec README. Via ../shared/datasets/amazon-beauty/README.md',
    rows: [
      { model: 'PopRec', full: score(0.0152, 0.0068), sampled99: score(0.3386, 0.1803) },
      { model: 'GRU4Rec', full: score(0.0283, 0.0137), sampled99: score(0.4106, 0.2584) },
      { model: 'Caser', full: score(0.0347, 0.0176), sampled99: score(0.3942, 0.2512) },
      { model: 'SASRec', full: score(0.0605, 0.0318), sampled99: score(0.4696, 0.3156) },
      { model: 'BERT4Rec', full: score(0.0347, 0.017), sampled99: score(0.4739, 0.2975) },
      { model: 'S3-Rec', full: score(0.0647, 0.0327), sampled99: score(0.5506, 0.3732) },
      { model: 'ICLRec (released checkpoint)', full: score(0.0744, 0.0403) },
    ],
  },
  {
    id: 'lastfm',
    title: 'Last.fm (S3-Rec preprocessing, HetRec 2011)',
    contentHash: 'ad03b0a80cadffb8',
    counts: { users: 1090, items: 3646, interactions: 52551 },
    protocol: 'leave-one-out, as for amazon-beauty',
    sampledNote: 'the 99 fixed negatives of LastFM_sample.txt',
    source:
      'S3-Rec (Zhou et al., CIKM 2020), github.com/aHuiWang/CIKM2020-S3Rec @ 49a890d. Via ../shared/datasets/lastfm/README.md',
    rows: [
      { model: 'PopRec', full: score(0.044, 0.0203), sampled99: score(0.3037, 0.1687) },
      { model: 'GRU4Rec', full: score(0.0367, 0.0187), sampled99: score(0.2817, 0.155) },
      { model: 'SASRec', full: score(0.0688, 0.039), sampled99: score(0.4706, 0.2755) },
      { model: 'BERT4Rec', full: score(0.0633, 0.0337), sampled99: score(0.4991, 0.2871) },
      { model: 'S3-Rec', full: score(0.0743, 0.0427), sampled99: score(0.5835, 0.3583) },
    ],
  },
];

/** Which of our models corresponds to which published row. */
export const publishedCounterpart: Readonly<Record<string, string>> = {
  popularity: 'PopRec',
  gru: 'GRU4Rec',
  sasrec: 'SASRec',
};

/**
 * The published dataset this import is, by exact content hash, or else by its user / item /
 * interaction counts (the same data re-saved with other line endings hashes differently).
 */
export function recognisePublished(dataset: {
  contentHash?: string;
  users: number;
  items: number;
  interactions: number;
}): PublishedDataset | undefined {
  return (
    publishedDatasets.find((known) => known.contentHash === dataset.contentHash) ??
    publishedDatasets.find(
      (known) =>
        known.counts.users === dataset.users &&
        known.counts.items === dataset.items &&
        known.counts.interactions === dataset.interactions,
    )
  );
}

/** The published column a run is comparable with: full ranking, or 99 negatives. */
export function publishedColumn(protocol: {
  kind: string;
  negatives?: number;
}): 'full' | 'sampled99' | undefined {
  if (protocol.kind === 'full') return 'full';
  if (protocol.kind === 'fixed') return 'sampled99';
  if (protocol.kind === 'sampled' && protocol.negatives === 99) return 'sampled99';
  return undefined;
}
