import { describe, expect, it } from 'vitest';
import { LabImportForm, LabRunForm } from './labForms.svelte';
import { RunSpecError } from './runSpecForm';
import { defaultRunSpec, defaultTuning } from './testSupport';

/** What an <input type="file"> holds after one file was chosen. */
const chosen = (name: string, text: string): FileList => {
  const file = new File([text], name);
  return { 0: file, length: 1, item: () => file } as unknown as FileList;
};

describe('LabRunForm', () => {
  it('starts as the page shows it: popularity, leave-one-out 50, full ranking, K 5,10,20, seed 0', async () => {
    const form = new LabRunForm();
    form.dataset = 'beauty';
    expect(await form.toRunSpec()).toStrictEqual(defaultRunSpec('beauty'));
  });

  it('lists the ticked models in the page order and tunes each with the form defaults', async () => {
    const form = new LabRunForm();
    form.models = { gru: true, popularity: false, mf: true };
    form.configText = { mf: '{"epochs": 4}' };
    form.tune = true;
    const spec = await form.toRunSpec();
    const tuning = defaultTuning;
    expect(form.chosenModels).toStrictEqual(['mf', 'gru']);
    expect(spec.models).toStrictEqual([
      { name: 'mf', config: { epochs: 4 }, tuning },
      { name: 'gru', config: undefined, tuning },
    ]);
  });

  it('reads the negatives file for the fixed protocol and the attributes file, by name and text', async () => {
    const form = new LabRunForm();
    form.protocolKind = 'fixed';
    form.negativesFiles = chosen('LastFM_sample.txt', '1 7 8 9\n');
    form.attributesFiles = chosen('tags.txt', '7 rock\n');
    const spec = await form.toRunSpec();
    expect(spec.protocol).toStrictEqual({
      kind: 'fixed',
      negatives: { kind: 'text', name: 'LastFM_sample.txt', text: '1 7 8 9\n' },
    });
    expect(spec.itemAttributes).toStrictEqual({ kind: 'text', name: 'tags.txt', text: '7 rock\n' });
  });

  it('ignores a chosen negatives file under another protocol, and asks for one under fixed', async () => {
    const form = new LabRunForm();
    form.negativesFiles = chosen('LastFM_sample.txt', '1 7\n');
    form.protocolKind = 'sampled';
    expect((await form.toRunSpec()).protocol).toStrictEqual({
      kind: 'sampled',
      negatives: 99,
      sampling: 'uniform',
    });
    form.protocolKind = 'fixed';
    form.negativesFiles = null;
    await expect(form.toRunSpec()).rejects.toThrow(RunSpecError);
  });
});

describe('LabImportForm', () => {
  it('starts with the user_id / item_id CSV mapping the page shows', () => {
    const form = new LabImportForm();
    form.format = 'csv';
    expect(form.toImportSpec('ratings.csv')).toStrictEqual({
      format: 'csv',
      name: 'ratings.csv',
      csv: { user: 'user_id', item: 'item_id', delimiter: ',', hasHeader: true },
    });
  });
});
