// `window.aisleLab`: the lab page's programmatic face. The headless runner (`npm run eval`)
// drives exactly this, so a number from the command line is a number the page would show.
import type { BackendPreference } from '../../data/records';
import type {
  LabDatasetInfo,
  LabImportSpec,
  LabProgress,
  LabRunSpec,
  LabTextFile,
  TrainingCheckReport,
} from '../../worker/lab/protocol';
import type { LabClient } from './labClient.svelte';
import { toCsv, toExport, topListsText, type LabExport } from './results';

export interface AisleLabRunOutput {
  json: LabExport;
  csv: string;
  /** one line per evaluated user (when spec.topK was set) */
  topLists?: string;
}

export interface AisleLabApi {
  importUrl(url: string, spec: LabImportSpec): Promise<LabDatasetInfo>;
  run(
    spec: LabRunSpec,
    options?: { onProgress?: (progress: LabProgress) => void },
  ): Promise<AisleLabRunOutput>;
  /** The dataset and split a run of `spec` would use, as RecBole atomic files. */
  exportRecbole(spec: LabRunSpec): Promise<LabTextFile[]>;
  /** Self-test: train every learned model a few steps on a toy set on that backend, report losses and scores. */
  checkTraining(backend: BackendPreference): Promise<TrainingCheckReport>;
  cancel(): void;
}

declare global {
  interface Window {
    aisleLab?: AisleLabApi;
  }
}

export function createLabApi(client: LabClient): AisleLabApi {
  return {
    importUrl: (url, spec) => client.importUrl(url, spec),
    async run(spec, options = {}) {
      const result = await client.run(spec, { onProgress: options.onProgress });
      const lines = result.models.flatMap((model) => model.topLists ?? []);
      return {
        json: toExport(result),
        csv: toCsv(result),
        topLists: spec.topK ? topListsText(lines) : undefined,
      };
    },
    exportRecbole: (spec) => client.exportRecbole(spec),
    checkTraining: (backend) => client.checkTraining(backend),
    cancel: () => client.cancel(),
  };
}
