// A deterministic cover for a game: the data has no images, and a broken <img> is
// worse than an honest drawing. Colours and shapes come from a hash of the title,
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

/** One spot on a cover: a light circle or a dark ellipse, in percent of the cover's box. */
export interface CoverSpot {
  /** centre, % of the width and of the height */
  x: number;
  y: number;
  /** radii, % of the width and of the height */
  rx: number;
  ry: number;
  light: boolean;
  opacity: number;
}

export interface CoverDesign {
  /** the gradient's two hues, degrees */
  hueA: number;
  hueB: number;
  spots: CoverSpot[];
  /** up to two capitals: the first letters of the title's first two words */
  initials: string;
}

// The drawing is laid out on a 320 × 180 grid and scaled to the box in percent.
const gridWidth = 320;
const gridHeight = 180;
const percent = (value: number, of: number) => Math.round((value / of) * 10_000) / 100;

/** The cover's shapes and colours: pure, so the same game always looks the same. */
export function coverDesign(title: string, genres: readonly string[]): CoverDesign {
  const hash = hashString(title);
  const base = genreHues[genres[0] ?? ''] ?? hash % 360;
  const hueA = (base + (hash % 70) - 35 + 360) % 360;
  const hueB = (hueA + 40 + ((hash >>> 8) % 80)) % 360;
  const spots: CoverSpot[] = [];
  for (let i = 0; i < 5; i++) {
    const bits = hashString(`${title}#${i}`);
    const r = 12 + ((bits >>> 17) % 60);
    const light = i % 2 === 0;
    spots.push({
      x: percent(bits % gridWidth, gridWidth),
      y: percent((bits >>> 9) % gridHeight, gridHeight),
      rx: percent(r, gridWidth),
      // a light spot is a circle; a dark one an ellipse twice as wide as it is tall
      ry: percent(light ? r : r / 2, gridHeight),
      light,
      opacity: (12 + ((bits >>> 25) % 20)) / 100,
    });
  }
  const initials = title
    .split(/\s+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w))
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('');
  return { hueA, hueB, spots, initials };
}

/**
 * The cover as one CSS background (spots over a diagonal gradient). Why not an image: an SVG
 * <img> is a document of its own that the browser lays out and records on the page's main thread
 * whenever it paints it, which made painting a click's new cards the largest cost of the click
 * (docs/benchmarks.md, 2026-12-02 "Cheaper cards"); gradients are recorded as a few paint operations.
 */
export function coverBackground(design: CoverDesign): string {
  const spots = design.spots.map((spot) => {
    const colour = spot.light ? `rgb(255 255 255 / ${spot.opacity})` : `rgb(0 0 0 / ${spot.opacity})`;
    return `radial-gradient(${spot.rx}% ${spot.ry}% at ${spot.x}% ${spot.y}%, ${colour} 98%, transparent 100%)`;
  });
  const gradient = `linear-gradient(to bottom right, hsl(${design.hueA} 55% 42%), hsl(${design.hueB} 60% 22%))`;
  return [...spots, gradient].join(', ');
}
