// `npm run data`: turns the Steam dataset (see ../shared/datasets/steam/README.md) into
// the storefront's static data:
//   public/data/catalog.json       credit + Game[] (id = dense item index)
//   public/data/community.bin      anonymised community interactions (src/ml/communityData.ts)
//   public/data/build-report.json  what was read, dropped (why) and kept
// The outputs are deterministic: no timestamps, stable orders, so a rerun gives the same bytes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import type { Game } from '../../src/data/types';
import { encodeCommunity, interactionKind, type CommunityData } from '../../src/ml/communityData';
import { reportTable, type ReportValue } from './buildReport';
import { cleanCatalog, maxTagsPerGame, type CatalogEntry } from './cleanCatalog';
import { datedReviewsFromCsv } from './datedReviewsCsv';
import { dateReviews, joinInteractions, type OwnedRow, type ReviewRow } from './joinInteractions';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const steamDir = process.env.AISLE_STEAM_DIR ?? path.resolve(repoRoot, '../shared/datasets/steam');
const outputDir = path.join(repoRoot, 'public/data');

const sourceFiles = {
  catalog: 'steam_games.json.gz',
  owned: 'user_items.luciaescobedo.parquet',
  reviews: 'user_reviews_all.ram1rofalcon.parquet',
  datedReviews: 'user_reviews_dated.maga86.csv',
} as const;

/** Shown on the page (the terms ask for it); taken from the dataset README. */
const credit = {
  source:
    'Steam Video Game and Bundle Data (steam_games, australian_users_items, australian_user_reviews) ' +
    'from the UCSD McAuley lab, as processed and published in public repositories.',
  terms:
    'Published by the McAuley lab for research use; the lab asks that the papers below be cited. ' +
    'Reviewer and library owner identities are replaced by anonymous indexes.',
  citations: [
    'W.-C. Kang and J. McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018.',
    'M. Wan and J. McAuley, "Item Recommendation on Monotonic Behavior Chains", RecSys 2018.',
    'A. Pathak, K. Gupta and J. McAuley, "Generating and Personalizing Bundle Recommendations on Steam", SIGIR 2017.',
  ],
  files: [
    {
      file: sourceFiles.catalog,
      from: 'github.com/Ram1roFalcon/PI_MLOps',
      commit: 'bee60b1fd75b01cf06304a0de2d8fa06d42aa9e5',
      path: 'data/steam_games.json.gz',
    },
    {
      file: sourceFiles.owned,
      from: 'github.com/LuciaEscobedo/Proyecto---PI01---dataft22',
      commit: '252bea874ca085683ffc30801b11cd415044c4c9',
      path: 'Datasets/user_items.parquet',
    },
    {
      file: sourceFiles.reviews,
      from: 'github.com/Ram1roFalcon/PI_MLOps',
      commit: 'bee60b1fd75b01cf06304a0de2d8fa06d42aa9e5',
      path: 'data/user_reviews.parquet',
    },
    {
      file: sourceFiles.datedReviews,
      from: 'github.com/maga86/Henry-1-Proyecto-Individual-MLops',
      commit: '25c49657ac01859b760fdf148bf4f9b3538592bf',
      path: 'user_reviews.csv',
    },
  ],
};

function sourcePath(name: string): string {
  return path.join(steamDir, name);
}

function readCatalogLines(): string[] {
  return gunzipSync(readFileSync(sourcePath(sourceFiles.catalog)))
    .toString('utf8')
    .split('\n');
}

async function readParquet(name: string, columns: string[]): Promise<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(sourcePath(name));
  return parquetReadObjects({ file, columns });
}

/** hyparquet gives int64 as BigInt and strings as strings; anything else reads as missing. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return '';
}

function asNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'number' ? value : Number.NaN;
}

async function readOwned(): Promise<OwnedRow[]> {
  const rows = await readParquet(sourceFiles.owned, ['user_id', 'item_id', 'playtime_forever']);
  return rows.map((row) => ({
    userId: asText(row.user_id),
    appId: asText(row.item_id),
    playtimeMinutes: asNumber(row.playtime_forever),
  }));
}

/** recommend is 0/1; anything else becomes an empty app id so the join counts it invalid. */
async function readReviews(): Promise<ReviewRow[]> {
  const rows = await readParquet(sourceFiles.reviews, ['user_id', 'item_id', 'recommend']);
  return rows.map((row) => {
    const recommend = asNumber(row.recommend);
    const known = recommend === 0 || recommend === 1;
    return {
      userId: asText(row.user_id),
      appId: known ? asText(row.item_id) : '',
      recommend: recommend === 1,
    };
  });
}

function toGame(id: number, entry: CatalogEntry): Game {
  return {
    id,
    appId: entry.appId,
    title: entry.title ?? '',
    price: entry.price,
    genres: entry.genres,
    tags: entry.tags,
    developer: entry.developer,
    released: entry.released,
    earlyAccess: entry.earlyAccess,
  };
}

/** One game a line: compact, yet a rebuild shows up as a readable diff. */
function catalogJson(games: Game[]): string {
  const gameLines = games.map((game) => JSON.stringify(game)).join(',\n');
  return `{"credit":${JSON.stringify(credit)},\n"games":[\n${gameLines}\n]}\n`;
}

/** The `count` games with the most rows that pass `counts`, ties to the lower item index. */
function topGames(community: CommunityData, games: Game[], count: number, counts: (row: number) => boolean) {
  const rowsPerItem = new Uint32Array(community.itemCount);
  community.items.forEach((item, row) => {
    if (counts(row)) rowsPerItem[item]++;
  });
  return [...rowsPerItem.keys()]
    .sort((a, b) => rowsPerItem[b] - rowsPerItem[a] || a - b)
    .slice(0, count)
    .map((item) => ({
      title: games[item].title,
      appId: games[item].appId,
      price: games[item].price,
      rows: rowsPerItem[item],
    }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  console.log(`Reading ${steamDir}`);
  const catalog = cleanCatalog(readCatalogLines());
  const [owned, undatedReviews] = await Promise.all([readOwned(), readReviews()]);
  const datedCsv = datedReviewsFromCsv(readFileSync(sourcePath(sourceFiles.datedReviews), 'utf8'));
  const dating = dateReviews(undatedReviews, datedCsv.rows);
  const joined = joinInteractions(owned, dating.reviews, catalog.entries);

  const games = joined.appIds.map((appId, id) => {
    const entry = catalog.entries.get(appId);
    if (!entry) throw new Error(`joined game ${appId} is missing from the catalog`);
    return toGame(id, entry);
  });
  const catalogText = catalogJson(games);
  const communityBytes = new Uint8Array(encodeCommunity(joined.community));

  const prices = games.flatMap((game) => (game.price === null ? [] : [game.price]));
  const report = {
    sourceDir: path.relative(repoRoot, steamDir),
    catalog: { ...catalog.stats },
    datedReviews: { csvRowsUnusable: datedCsv.unusableRows, ...dating.stats },
    interactions: {
      read: joined.stats.read,
      joinedToNamedPricedGame: joined.stats.joinedToNamedPricedGame,
      joinedToNamedPricedShare: Number(
        (joined.stats.joinedToNamedPricedGame / joined.stats.read.total).toFixed(4),
      ),
      dropped: joined.stats.dropped,
      kept: joined.stats.kept,
    },
    outputs: {
      catalogJsonBytes: Buffer.byteLength(catalogText),
      communityBinBytes: communityBytes.byteLength,
      games: games.length,
      gamesWithPrice: prices.length,
      medianPrice: median(prices),
      tagsCappedAt: maxTagsPerGame,
    },
    mostOwned: topGames(
      joined.community,
      games,
      5,
      (row) => joined.community.kinds[row] === interactionKind.owned,
    ),
    // "positive" = played (playtime > 0) or recommended: the ranking the dataset README quotes
    mostPositive: topGames(joined.community, games, 5, (row) => {
      const kind = joined.community.kinds[row];
      return (
        kind === interactionKind.recommended ||
        (kind === interactionKind.owned && joined.community.playtimeMinutes[row] > 0)
      );
    }),
  } satisfies Record<string, ReportValue>;

  mkdirSync(outputDir, { recursive: true });
  writeFileSync(path.join(outputDir, 'catalog.json'), catalogText);
  writeFileSync(path.join(outputDir, 'community.bin'), communityBytes);
  writeFileSync(path.join(outputDir, 'build-report.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(reportTable(report));
  console.log(`Wrote ${path.relative(repoRoot, outputDir)}/{catalog.json,community.bin,build-report.json}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
