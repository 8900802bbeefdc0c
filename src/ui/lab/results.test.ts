// The exports of a finished run carry the epochs: the JSON (what `npm run eval --json` writes and
// the page's "Export JSON" saves), the CSV and the stored run. The run is a real lab run of a
// scripted model (worker/lab/scriptedModel.ts) whose validation NDCG@10 peaks at epoch 2 of 6.
import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../worker/backend/types';
import type { LabRunSpec } from '../../worker/lab/protocol';
import { runLab } from '../../worker/lab/runLab';
import { ScriptedModel, scriptedDataset, scriptedRunSpec } from '../../worker/lab/scriptedModel';
import { toCsv, toEvalRunRecords, toExport, runDetails } from './results';

const backend: BackendReport = { active: 'cpu', reason: 'test', adapter: null, attempts: [] };
const peakAtTwo = [false, true, false, false, false, false];

async function run(models: LabRunSpec['models']) {
  const { dataset, info, nextItem } = await scriptedDataset();
  return runLab(scriptedRunSpec(info.key, models), {
    dataset,
    info,
    backend,
    createModel: (_name, config) =>
      new ScriptedModel(peakAtTwo, nextItem, Math.min(config.epochs as number, peakAtTwo.length)),
  });
}

describe('the exported run', () => {
  it('records epochs trained, the kept epoch, early stopping and the validation curve', async () => {
    const result = await run([{ name: 'mf', config: { earlyStoppingPatience: 2 } }]);
    const [model] = (JSON.parse(JSON.stringify(toExport(result))) as ReturnType<typeof toExport>).models;
    expect(model).toMatchObject({ epochsTrained: 4, keptEpoch: 2, stoppedEarly: true, validationNdcg10: 1 });
    expect(model.curve.map((point) => point.epoch)).toEqual([1, 2, 3, 4]);
    expect(model.curve[model.keptEpoch! - 1].validationNdcg10).toBe(model.validationNdcg10);

    // (the protocol column holds commas, so it is quoted: compare the row's start)
    const csv = toCsv(result).split('\n');
    const row = (metric: string) => csv.find((line) => line.startsWith(`mf,${metric},`));
    expect(row('epochsTrained')).toMatch(/^mf,epochsTrained,4,,,[0-9a-f]{16},".*",1$/);
    expect(row('keptEpoch')).toMatch(/^mf,keptEpoch,2,,,[0-9a-f]{16},".*",1$/);

    const [record] = toEvalRunRecords(result, 0);
    expect(runDetails({ ...record, id: 1 })).toMatchObject({
      epochsTrained: 4,
      keptEpoch: 2,
      stoppedEarly: true,
    });
  });

  it("exports a tuned model's trials with their best epochs and the epochs it kept", async () => {
    const result = await run([
      {
        name: 'mf',
        config: { epochs: 6 },
        tuning: { strategy: 'grid', space: { dim: [8] }, earlyStoppingPatience: 1 },
      },
    ]);
    const [model] = toExport(result).models;
    expect(model.trials).toEqual([
      { params: { dim: 8 }, validationNdcg10: 1, bestEpoch: 2, epochsTrained: 3, stoppedEarly: true },
    ]);
    expect(model.config.epochs).toBe(2);
    expect(model).toMatchObject({ epochsTrained: 2, keptEpoch: 2, stoppedEarly: false });
  });

  it("exports the hybrid's learned blend weights and what it serves", async () => {
    const { dataset, info } = await scriptedDataset();
    const spec = scriptedRunSpec(info.key, [
      { name: 'hybrid', config: { components: 'itemknn,popularity' } },
    ]);
    // the registry's hybrid: real item-kNN and popularity under the blend
    const result = await runLab(spec, { dataset, info, backend });
    const [model] = (JSON.parse(JSON.stringify(toExport(result))) as ReturnType<typeof toExport>).models;
    const blend = result.models[0].blend!;
    expect(model.blend).toEqual(blend);
    expect(model.blend!.components.map((c) => c.name)).toEqual(['itemknn', 'popularity']);
    expect(model.blend!.components.every((c) => Number.isFinite(c.weight))).toBe(true);
    // the validation fold's users split in two: one side fits the weights, the other judges them
    const { cases, decision, servedBy } = model.blend!;
    expect(cases + decision.users).toBe(result.models[0].users.length);
    expect(Math.abs(cases - decision.users)).toBeLessThanOrEqual(1);
    expect(['blend', 'itemknn', 'popularity']).toContain(servedBy);
    expect(decision.components.map((c) => c.name)).toEqual(['itemknn', 'popularity']);
    expect(model.trainMs).toBeGreaterThanOrEqual(model.blend!.components[0].trainMs);
  });

  it("keeps the item attributes file's identity in the export and the stored run", async () => {
    const itemAttributes = { hash: '0123456789abcdef', itemsCovered: 3, attributes: 2, itemsUnknown: 1 };
    const result = { ...(await run([{ name: 'popularity' }])), itemAttributes };
    expect(toExport(result).itemAttributes).toEqual(itemAttributes);
    const [record] = toEvalRunRecords(result, 0);
    expect(runDetails({ ...record, id: 1 })?.itemAttributesHash).toBe(itemAttributes.hash);
    const [plain] = toEvalRunRecords(await run([{ name: 'popularity' }]), 0);
    expect(runDetails({ ...plain, id: 2 })?.itemAttributesHash).toBeUndefined();
  });

  it('leaves the epoch fields out for a model without epochs', async () => {
    const result = await run([{ name: 'popularity' }]);
    const [model] = toExport(result).models;
    expect(model.keptEpoch).toBeUndefined();
    expect(model.epochsTrained).toBeUndefined();
    expect(toCsv(result)).not.toContain('keptEpoch');
  });
});
