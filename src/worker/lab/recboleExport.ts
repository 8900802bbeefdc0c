// The RecBole atomic files of a run spec's dataset and split: the same split a lab run of that
// spec trains and scores on (same seed, same validation share), so a RecBole run on these files
// and the lab's run see the same interactions.
import { recboleAtomicFiles, recboleDatasetName } from '../../ml/io/export/recbole';
import type { ImportedDataset } from '../../ml/io';
import type { LabDatasetInfo, LabRunSpec, LabTextFile } from './protocol';
import { buildSplits } from './labSplits';
import { needsValidationFold } from './runLab';

export function recboleFilesFor(
  spec: LabRunSpec,
  dataset: ImportedDataset,
  info: Pick<LabDatasetInfo, 'name'>,
): LabTextFile[] {
  if (spec.split.kind === 'k-fold') {
    throw new RangeError(
      `RecBole's benchmark files hold one split, and k-fold makes ${spec.split.folds}: export leave-one-out, temporal or random`,
    );
  }
  const [split] = buildSplits(dataset, spec.split, spec.seed, needsValidationFold(spec));
  return recboleAtomicFiles(dataset, split, recboleDatasetName(info.name));
}
