// The small JSON file that travels with a model's safetensors: what architecture and config the
// tensors belong to, and which item each embedding row is. Shared by the writer (ml/io/export/)
// and the readers of imported models, so a file Aisle writes is a file Aisle can read.

export interface ModelManifest {
  format: 'aisle-model-manifest';
  version: 1;
  architecture: 'mf' | 'sasrec' | 'gru' | string;
  config: Record<string, unknown>;
  /** external item id of each embedding row, in row order */
  itemIds: string[];
  /** names of the tensors inside the safetensors file */
  tensors: { itemEmbeddings: string };
  /** the dataset the model was trained on (its name and content hash), when known */
  trainedOn?: string;
  /** ISO 8601 */
  createdAt: string;
}
