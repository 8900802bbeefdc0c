// The lab's model factory: the registry's models, plus `hybrid`, whose blend lives in recs/ (which
// ml/registry may not import). The hybrid's config names its components and their overrides
// (resolveModelConfig checks them); each component is the registry's own model.
import type { Recommender } from '../../ml/recommender';
import {
  createRecommender,
  hybridComponents,
  resolveModelConfig,
  type ModelConfig,
  type ModelContext,
} from '../../ml/registry';
import { LabHybrid } from '../../recs/labHybrid';

export function createLabModel(
  name: string,
  overrides: Record<string, unknown> = {},
  context: ModelContext = {},
): Recommender {
  if (name !== 'hybrid') return createRecommender(name, overrides, context);
  const config: ModelConfig = resolveModelConfig(name, overrides);
  const components = hybridComponents(config).map(({ name: component, overrides: own }) => ({
    name: component,
    model: createRecommender(component, own, context),
  }));
  return new LabHybrid(components, {
    candidates: Number(config.candidates),
    blendUsers: Number(config.blendUsers),
    poolNegatives: Number(config.poolNegatives),
    randomNegatives: Number(config.randomNegatives),
    seed: Number(config.seed),
  });
}
