// The runner's printed summary of a run: one line per model with each metric's mean and 95%
// interval, the kept epoch and the times; then published numbers, blend weights and tuning.
import { blendDecisionLine } from '../../src/ml/blend/decisionText';
import type { LabExport } from '../../src/ui/lab/results';

const fmt = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '—' : value.toFixed(4);
const pad = (text: string, width: number) => text.padEnd(width);

/** Everything the runner prints about a finished run, `wallMs` aside. */
export function formatRunTable(json: LabExport): string {
  const { dataset } = json;
  const lines = [
    `dataset   ${dataset.name}: ${dataset.stats.users} users, ${dataset.stats.items} items, ${dataset.stats.interactions} interactions (hash ${dataset.contentHash})`,
    `protocol  ${json.protocol}; split ${JSON.stringify(json.split)}; seed ${json.seed}`,
    `backend   ${json.backend.active}: ${json.backend.reason}`,
  ];
  if (json.itemAttributes) {
    const a = json.itemAttributes;
    lines.push(
      `attributes ${a.attributes} attributes on ${a.itemsCovered} of ${dataset.stats.items} items (hash ${a.hash}${a.itemsUnknown ? `; ${a.itemsUnknown} items not in the data skipped` : ''})`,
    );
  }
  lines.push('');
  const metrics = json.ks.flatMap((k) => [`HR@${k}`, `NDCG@${k}`]).concat('MRR');
  const width = 26;
  const epochWidth = 20;
  lines.push(
    pad('model', 14) +
      metrics.map((m) => pad(m, width)).join('') +
      pad('kept epoch', epochWidth) +
      'train      eval',
  );
  for (const model of json.models) {
    const cells = metrics.map((m) => {
      const ci = model.metrics[m];
      return pad(ci ? `${fmt(ci.mean)} [${fmt(ci.lower)}, ${fmt(ci.upper)}]` : '—', width);
    });
    // the 1-based epoch evaluated, of those trained ("2/4 early": early stopping kept epoch 2)
    const kept =
      model.keptEpoch === undefined
        ? '—'
        : `${model.keptEpoch}/${model.epochsTrained}${model.stoppedEarly ? ' early' : ''}`;
    lines.push(
      pad(model.model, 14) +
        cells.join('') +
        pad(kept, epochWidth) +
        pad(`${(model.trainMs / 1000).toFixed(2)} s`, 11) +
        `${(model.evalMs / 1000).toFixed(2)} s`,
    );
    const published = model.published;
    if (published) {
      const cells = metrics.map((m) =>
        pad(m === 'HR@10' ? fmt(published.hr10) : m === 'NDCG@10' ? fmt(published.ndcg10) : '', width),
      );
      lines.push(pad('  published', 14) + cells.join('') + published.model);
    }
    if (model.blend) {
      // the hybrid's learned weights (fitted on the validation fold) and each component's training time
      const parts = model.blend.components.map(
        (c) =>
          `${c.name} ${c.weight.toFixed(3)} (${(c.trainMs / 1000).toFixed(1)} s${c.cached ? ', from the model cache' : ''})`,
      );
      lines.push(`  blend     ${parts.join(', ')}; fitted on ${model.blend.cases} validation users`);
      // a component validated per epoch: its curve and the epoch it kept (full ranking, on the
      // validation users the blend does not use)
      for (const { name, epochs } of model.blend.components) {
        if (!epochs) continue;
        const curve = epochs.validationNdcg10.map((score) => fmt(score)).join(' ');
        const stop = epochs.stoppedEarly ? 'stopped early' : 'no early stop';
        const users = epochs.epochChoiceUsers === undefined ? '' : ` on ${epochs.epochChoiceUsers} users`;
        lines.push(
          `  epochs    ${name} validation NDCG@10${users} by epoch ${curve}; kept epoch ${epochs.keptEpoch} of ${epochs.validationNdcg10.length} (${stop}, ${epochs.trainedNow} trained by this run)`,
        );
      }
      // what the hybrid's scores are: the blend, or the component the safety rule kept
      lines.push(`  serves    ${blendDecisionLine(model.blend.servedBy, model.blend.decision)}`);
    }
    const final = model.finalFit;
    if (final) {
      // the same choices retrained on train + validation, on the same test users, beside the line above
      const cells = metrics.map((m) => {
        const ci = final.metrics[m];
        return pad(ci ? `${fmt(ci.mean)} [${fmt(ci.lower)}, ${fmt(ci.upper)}]` : '—', width);
      });
      const epochs = final.epochs.map((e) => `${e.name} ${e.epochs}`).join(', ') || '—';
      lines.push(
        pad('  final fit', 14) +
          cells.join('') +
          pad(epochs, epochWidth) +
          pad(`${(final.trainMs / 1000).toFixed(2)} s`, 11) +
          `${(final.evalMs / 1000).toFixed(2)} s`,
      );
      const gains = Object.entries(final.differences).map(
        ([m, d]) => `${m} ${d.mean >= 0 ? '+' : ''}${fmt(d.mean)} [${fmt(d.lower)}, ${fmt(d.upper)}]`,
      );
      const cached = final.cached?.length ? `; from the model cache: ${final.cached.join(', ')}` : '';
      lines.push(
        `  refit     trained on ${final.training} with the choices above${final.servedBy ? ` (serves ${final.servedBy})` : ''}${cached}; final − standard, same users: ${gains.join(', ')}`,
      );
    }
  }
  for (const model of json.models) {
    if (!model.trials?.length) continue;
    const best = model.trials.reduce((a, b) => (b.validationNdcg10 > a.validationNdcg10 ? b : a));
    const at = best.bestEpoch === undefined ? '' : ` at epoch ${best.bestEpoch}`;
    lines.push(
      `tuned     ${model.model}: ${model.trials.length} trials, best validation NDCG@10 ${fmt(best.validationNdcg10)}${at}; kept config ${JSON.stringify(model.config)}`,
    );
  }
  lines.push(
    '',
    `users evaluated: ${json.models.map((m) => `${m.model} ${m.usersEvaluated}`).join(', ')}; total ${(json.totalMs / 1000).toFixed(2)} s in the page`,
  );
  return lines.join('\n');
}
