// Trained models and training checkpoints live in our own tables (never tfjs's
// indexeddb:// store), so erasing "Your data" and exporting see one database.
import type { ModelName } from '../ml/recommender';
import type { AisleDb } from './db';
import type { CheckpointRecord, ModelCard, ModelRecord } from './records';

export async function putModel(db: AisleDb, model: ModelRecord): Promise<void> {
  await db.models.put(model);
}

export async function getModel(db: AisleDb, name: ModelName): Promise<ModelRecord | undefined> {
  return db.models.get(name);
}

/** Model cards without their weights, newest first: cheap enough for a settings page. */
export async function listModelCards(db: AisleDb): Promise<(ModelCard & { name: ModelName })[]> {
  const models = await db.models.orderBy('trainedAt').reverse().toArray();
  return models.map(({ snapshot: _snapshot, ...card }) => card);
}

export async function deleteModel(db: AisleDb, name: ModelName): Promise<void> {
  await db.models.delete(name);
}

export async function putCheckpoint(db: AisleDb, checkpoint: CheckpointRecord): Promise<void> {
  await db.checkpoints.put(checkpoint);
}

export async function getCheckpoint(db: AisleDb, name: ModelName): Promise<CheckpointRecord | undefined> {
  return db.checkpoints.get(name);
}

export async function listCheckpoints(db: AisleDb): Promise<CheckpointRecord[]> {
  return db.checkpoints.toArray();
}

export async function deleteCheckpoint(db: AisleDb, name: ModelName): Promise<void> {
  await db.checkpoints.delete(name);
}

/**
 * Training finished: store the model and drop its checkpoint together, so a reload can
 * never find both a finished model and a stale checkpoint that would resume old training.
 */
export async function completeTraining(db: AisleDb, model: ModelRecord): Promise<void> {
  await db.transaction('rw', db.models, db.checkpoints, async () => {
    await db.models.put(model);
    await db.checkpoints.delete(model.name);
  });
}
