// The learned models; ml/registry.ts builds them by name.

export { createGru, defaultGruConfig, GruRecommender, type GruConfig } from './gru';
export { createMf, defaultMfConfig, MfRecommender, type MfConfig, type MfLoss } from './mf';
export {
  createProfileEncoder,
  defaultProfileEncoderConfig,
  ProfileEncoder,
  type ItemAttributeTargets,
  type ProfileEncoderConfig,
  type ProfileEncoding,
} from './profileEncoder';
export { gruPartOf, HostProfileHeads, readProfileHeads } from './profileHeads';
export { createSasrec, defaultSasrecConfig, SasrecRecommender, type SasrecConfig } from './sasrec';
export type { SequenceLoss, SequentialConfig } from './sequenceStep';
