// A seeded draw of a player's choice from utilities, for the tests that simulate players picking
// the next item (the blend's fit and its pipeline).
import type { Rng } from '../random';

/** An index drawn with probability ∝ exp(utility). */
export function softmaxDraw(utility: readonly number[], rng: Rng): number {
  const top = Math.max(...utility);
  const mass = utility.map((u) => Math.exp(u - top));
  let left = rng.next() * mass.reduce((sum, m) => sum + m, 0);
  for (let i = 0; i < mass.length; i++) if ((left -= mass[i]) <= 0) return i;
  return mass.length - 1;
}
