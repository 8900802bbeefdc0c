// Score vectors that exercise a top-k: coarse scores (many ties), the odd non-finite one, and
// random filters. Shared by the tests of topK and of the rankings that must agree with it.
import type { RecommendFilter } from '../recommender';
import { createRng } from '../random';

// coarse scores (many ties), the odd non-finite one, and random filters
export function topKCases(seed: number) {
  const rng = createRng(seed);
  return Array.from({ length: 80 }, (_, trial) => {
    const size = rng.nextInt(300);
    const scores = Float32Array.from({ length: size }, () => {
      const roll = rng.next();
      if (roll < 0.03) return Number.NaN;
      if (roll < 0.05) return Number.NEGATIVE_INFINITY;
      if (roll < 0.06) return Number.POSITIVE_INFINITY;
      return (rng.nextInt(20) - 5) / 7;
    });
    const exclude = new Set(Array.from({ length: rng.nextInt(size + 1) }, () => rng.nextInt(size + 1)));
    const modulus = 2 + rng.nextInt(3);
    const filter: RecommendFilter | undefined =
      trial % 4 === 0
        ? undefined
        : trial % 4 === 1
          ? { exclude }
          : trial % 4 === 2
            ? { allow: (item: number) => item % modulus !== 0 }
            : { exclude, allow: (item: number) => item % modulus !== 0 };
    return { scores, k: 1 + rng.nextInt(60), filter };
  });
}
