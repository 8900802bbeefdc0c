// The catalog as the page sees it: loaded once from the static data folder.
import type { Game } from '../data/types';
import { buildGameSearch, type GameSearch } from '../recs/search';
import { markStartup } from './startupMarks';

export interface Credit {
  source?: string;
  terms?: string;
  citations?: string[];
  [key: string]: unknown;
}

/** The data folder, resolved against the page so a sub-folder deployment works. */
export const dataBaseUrl = (): string => new URL('data/', document.baseURI).href;

class Catalog {
  games = $state.raw<Game[]>([]);
  credit = $state.raw<Credit>({});
  error = $state<string | null>(null);
  loaded = $state(false);
  genres = $derived([...new Set(this.games.flatMap((g) => g.genres))].sort());
  /**
   * Games the store worker sent with rows before the catalog was loaded: the home page draws its
   * first cards from them, and parses catalog.json after those cards are on screen.
   */
  private shown = $state.raw(new Map<number, Game>());
  private searchIndex: GameSearch | null = null;
  private loading: Promise<void> | null = null;

  /** Fetch and parse catalog.json, once (a second call waits for the first). */
  load(): Promise<void> {
    this.loading ??= this.fetchCatalog();
    return this.loading;
  }

  addShown(games: readonly Game[]): void {
    if (this.loaded || games.length === 0) return;
    const shown = new Map(this.shown);
    for (const game of games) shown.set(game.id, game);
    this.shown = shown;
  }

  private async fetchCatalog(): Promise<void> {
    try {
      const response = await fetch(new URL('catalog.json', dataBaseUrl()));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { games: Game[]; credit: Credit };
      this.games = body.games;
      this.credit = body.credit;
      this.loaded = true;
      this.shown = new Map();
      markStartup('catalog-loaded');
    } catch (error) {
      this.error = `The catalog could not be loaded (${error instanceof Error ? error.message : error}).`;
    }
  }

  game(id: number): Game | undefined {
    return this.games[id] ?? this.shown.get(id);
  }

  title(id: number): string {
    return this.game(id)?.title ?? `Game #${id}`;
  }

  /** Built on first use: most visits never search. */
  get search(): GameSearch {
    this.searchIndex ??= buildGameSearch(this.games);
    return this.searchIndex;
  }
}

export const catalog = new Catalog();
