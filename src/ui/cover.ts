// A deterministic cover for a game: the data has no images, and a broken <img> is
// worse than an honest drawing. Colours and initials come from a hash of the title,
// the hue family from the first genre, so covers are stable and genres look related.

const genreHues: Record<string, number> = {
  Action: 0,
  Adventure: 30,
  Casual: 50,
  Indie: 280,
  'Massively Multiplayer': 200,
  Racing: 15,
  RPG: 260,
  Simulation: 160,
  Sports: 100,
  Strategy: 220,
  'Free to Play': 140,
  'Early Access': 40,
};

/** FNV-1a, 32-bit: tiny and stable across runs. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface CoverDesign {
  /** the gradient's two hues, degrees */
  hueA: number;
  hueB: number;
  /** up to two capitals: the first letters of the title's first two words */
  initials: string;
}

/** The cover's colours and initials: pure, so the same game always looks the same. */
export function coverDesign(title: string, genres: readonly string[]): CoverDesign {
  const hash = hashString(title);
  const base = genreHues[genres[0] ?? ''] ?? hash % 360;
  const hueA = (base + (hash % 70) - 35 + 360) % 360;
  const hueB = (hueA + 40 + ((hash >>> 8) % 80)) % 360;
  const initials = title
    .split(/\s+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w))
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('');
  return { hueA, hueB, initials };
}

/**
 * The cover as one CSS background: a diagonal gradient between the two hues. Why not an image, and
 * why nothing more: an SVG <img> is a document of its own that Chromium lays out and records on
 * the page's main thread when it first paints it, which made painting a click's new cards the
 * largest cost of the click; and the five translucent spots the drawing had, as radial gradients,
 * more than doubled the raster threads' work on every repaint of a row (docs/benchmarks.md,
 * 2026-12-02 "Cheaper cards"). One linear gradient rasters like a flat colour.
 */
export function coverBackground(design: CoverDesign): string {
  return `linear-gradient(to bottom right, hsl(${design.hueA} 55% 42%), hsl(${design.hueB} 60% 22%))`;
}
