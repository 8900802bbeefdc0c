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

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function coverSvg(title: string, genres: readonly string[]): string {
  const hash = hashString(title);
  const base = genreHues[genres[0] ?? ''] ?? hash % 360;
  const hueA = (base + (hash % 70) - 35 + 360) % 360;
  const hueB = (hueA + 40 + ((hash >>> 8) % 80)) % 360;
  const shapes: string[] = [];
  for (let i = 0; i < 5; i++) {
    const bits = hashString(`${title}#${i}`);
    const x = bits % 320;
    const y = (bits >>> 9) % 180;
    const r = 12 + ((bits >>> 17) % 60);
    const opacity = (0.12 + ((bits >>> 25) % 20) / 100).toFixed(2);
    shapes.push(
      i % 2 === 0
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="#fff" fill-opacity="${opacity}"/>`
        : `<rect x="${x - r}" y="${y - r / 2}" width="${r * 2}" height="${r}" rx="6" fill="#000" fill-opacity="${opacity}" transform="rotate(${(bits >>> 3) % 90} ${x} ${y})"/>`,
    );
  }
  const initials = title
    .split(/\s+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w))
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180" role="img" aria-label="${escapeXml(title)}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hueA} 55% 42%)"/><stop offset="1" stop-color="hsl(${hueB} 60% 22%)"/>` +
    `</linearGradient></defs><rect width="320" height="180" fill="url(#g)"/>${shapes.join('')}` +
    `<text x="24" y="150" font-family="system-ui, sans-serif" font-size="56" font-weight="700" fill="#fff" fill-opacity="0.9">${escapeXml(initials)}</text>` +
    `</svg>`
  );
}

/** As a data: URL, usable in <img src> under the CSP (img-src 'self' data:). */
export function coverUrl(title: string, genres: readonly string[]): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(coverSvg(title, genres))}`;
}
