// Lab results: one row per evaluation of a model on a dataset.
import type { AisleDb } from './db';
import type { EvalRunRecord } from './records';

/** Stores a run and returns its new id. */
export async function addEvalRun(db: AisleDb, run: Omit<EvalRunRecord, 'id'>): Promise<number> {
  // the key is auto-incremented, so add() always yields one
  return (await db.evalRuns.add(run)) as number;
}

export async function getEvalRun(db: AisleDb, id: number): Promise<EvalRunRecord | undefined> {
  return db.evalRuns.get(id);
}

/** Newest first; optionally only the runs on one dataset. */
export async function listEvalRuns(db: AisleDb, filter: { dataset?: string } = {}): Promise<EvalRunRecord[]> {
  const runs =
    filter.dataset === undefined
      ? await db.evalRuns.orderBy('createdAt').reverse().toArray()
      : await db.evalRuns.where('dataset').equals(filter.dataset).toArray();
  return runs.sort((a, b) => b.createdAt - a.createdAt || (b.id ?? 0) - (a.id ?? 0));
}

export async function deleteEvalRun(db: AisleDb, id: number): Promise<void> {
  await db.evalRuns.delete(id);
}
