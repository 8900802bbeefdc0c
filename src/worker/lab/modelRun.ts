// Tuning, training and evaluation of one model of a lab run, over every fold of the split.
import {
  evaluateRecommender,
  mean,
  trainPlusValidation,
  type DataSplit,
  type EvalFold,
  type EvaluationResult,
  type RankingProtocol,
} from '../../ml/eval';
import type { ImportedDataset } from '../../ml/io';
import type { ModelCacheScope } from '../../ml/modelCache';
import type { Recommender } from '../../ml/recommender';
import { hasItemEmbeddings, itemEmbeddingsOf } from '../../ml/io/export/modelExport';
import { LabHybrid } from '../../ml/blend/labHybrid';
import { isComposite, isIterative, type ModelConfig } from '../../ml/registry';
import type {
  LabEpochPoint,
  LabFinalFit,
  LabItemEmbeddings,
  LabModelResult,
  LabModelSpec,
  LabProgress,
  LabRunSpec,
  LabTrialResult,
} from './protocol';
import { fitWithValidation, type EpochFitResult } from './epochFit';
import { finalFitCacheScope, finalFitConfig, finalFitDifferences, finalFitTraining } from './finalFit';
import { mergeFolds, toInterval } from './foldMerge';
import { tuningFolds } from './labSplits';
import { configFor, splitLabSettings } from './runSpec';
import { tuneModel } from './tuneModel';

/** The models whose item embeddings the lab offers as safetensors. */
const embeddingModels = new Set(['mf', 'sasrec', 'gru']);

export interface ModelRunTools {
  report: (progress: LabProgress) => void;
  /** fraction of the whole run once this model is `within` (0..1) done */
  share: (within: number) => number;
  now: () => number;
  signal?: AbortSignal;
  makeModel: (name: string, config: ModelConfig) => Recommender;
  /** the run has item attributes (the default search space then includes ease's attributeWeight) */
  hasItemAttributes: boolean;
  /**
   * where a composite model keeps its trained components between runs, and what the dataset and
   * split are (the fold is added here): see ml/modelCache.ts
   */
  modelCache?: ModelCacheScope;
}

/** Tuning, training and evaluation of one model over every fold of the split. */
export class ModelRun {
  protocolDescription = '';

  constructor(
    private readonly model: LabModelSpec,
    private readonly spec: LabRunSpec,
    private readonly splits: DataSplit[],
    private readonly protocol: RankingProtocol,
    private readonly dataset: ImportedDataset,
    private readonly tools: ModelRunTools,
  ) {}

  async execute(): Promise<LabModelResult> {
    const { model, tools } = this;
    let trials: LabTrialResult[] | undefined;
    let params: Record<string, number> = {};
    // tuning takes the first half of this model's share of the progress bar
    const tuningShare = model.tuning ? 0.5 : 0;
    if (model.tuning) ({ trials, params } = await this.tune());
    const config = configFor(model, this.spec.seed, params);

    const curve: LabEpochPoint[] = [];
    const folds: EvaluationResult[] = [];
    let trainMs = 0;
    let evalMs = 0;
    let validationNdcg10: number | undefined;
    let epochs: Pick<LabModelResult, 'epochsTrained' | 'keptEpoch' | 'stoppedEarly'> = {};
    let blend: LabModelResult['blend'];
    let itemEmbeddings: LabItemEmbeddings | undefined;
    let finalFit: LabFinalFit | undefined;
    for (let f = 0; f < this.splits.length; f++) {
      const split = this.splits[f];
      const foldShare = (within: number) =>
        tools.share(tuningShare + ((1 - tuningShare) * (f + within)) / this.splits.length);
      const recommender = tools.makeModel(model.name, config);
      try {
        const trainStart = tools.now();
        const fitted = await this.fit(recommender, split, f, foldShare);
        blend = await this.fitOnValidation(recommender, split, f, foldShare);
        // validation time (per epoch) counts as training: it is what early stopping trains with
        trainMs += tools.now() - trainStart;
        validationNdcg10 = fitted.validationNdcg10;
        // k-fold has no validation fold, hence no early stopping: every fold trains the same epochs
        if (f === 0) epochs = this.epochSummary(fitted);
        curve.push(...fitted.points.map((point) => ({ ...point, epoch: curve.length + point.epoch })));
        const evalStart = tools.now();
        folds.push(await this.evaluate(recommender, split.test, f, foldShare));
        evalMs += tools.now() - evalStart;
        if (f === 0) itemEmbeddings = this.itemEmbeddings(recommender);
        // only after every choice is made and recorded; k-fold (several splits) is refused before
        if (this.spec.finalFit && f === 0) {
          finalFit = await this.finalFit({ recommender, split, config, fitted, blend, standard: folds[0] });
        }
      } finally {
        recommender.dispose();
      }
    }
    return {
      model: model.name,
      config,
      ...mergeFolds(folds, {
        userIds: this.dataset.userIds,
        itemIds: this.dataset.itemIds,
        keepTopLists: Boolean(this.spec.topK),
        seed: this.spec.seed,
        bootstrapResamples: this.spec.bootstrapResamples,
      }),
      trainMs,
      evalMs,
      curve,
      validationNdcg10: this.splits.length === 1 ? validationNdcg10 : undefined,
      ...epochs,
      trials,
      ...(blend ? { blend } : {}),
      ...(itemEmbeddings ? { itemEmbeddings } : {}),
      ...(finalFit ? { finalFit } : {}),
    };
  }

  /**
   * The final fit on train + validation (finalFit.ts): the chosen config, its learned parts'
   * epochs fixed at those chosen on validation, trained on each user's interactions minus the test
   * items without any validation, given the chosen hybrid's weights and decision, scored on the
   * same test users. It reads nothing of the test fold but its histories and targets to score.
   */
  private async finalFit(chosen: {
    recommender: Recommender;
    split: DataSplit;
    config: ModelConfig;
    fitted: EpochFitResult;
    blend: LabModelResult['blend'];
    standard: EvaluationResult;
  }): Promise<LabFinalFit> {
    const { tools } = this;
    const { config, epochs } = finalFitConfig(this.model.name, chosen.config, {
      keptEpoch:
        splitLabSettings(this.model).patience !== undefined ? chosen.fitted.outcome?.keptEpoch : undefined,
      blend: chosen.blend,
    });
    const training = trainPlusValidation(chosen.split);
    const say = (message: string) =>
      tools.report(
        this.progress('training', `final fit on ${finalFitTraining}: ${message}`, tools.share(0.5)),
      );
    say(epochs.length ? epochs.map((e) => `${e.name} ${e.epochs} epochs`).join(', ') : 'training');
    const model = tools.makeModel(this.model.name, config);
    try {
      const trainStart = tools.now();
      await model.fit(training, {
        signal: tools.signal,
        modelCache:
          tools.modelCache &&
          finalFitCacheScope({ store: tools.modelCache.store, data: `${tools.modelCache.data} | fold 0` }),
        onMessage: say,
        onProgress: (p) => say(`epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`),
        onComponentProgress: (component, p) =>
          say(`${component} epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`),
      });
      const hybrid =
        model instanceof LabHybrid && chosen.recommender instanceof LabHybrid ? model : undefined;
      hybrid?.adoptChoices(chosen.recommender as LabHybrid);
      const trainMs = tools.now() - trainStart;
      const evalStart = tools.now();
      const result = await this.evaluate(model, chosen.split.test, 0, (within) => tools.share(within));
      const cached = hybrid
        ?.summary()
        ?.components.filter((c) => c.cached)
        .map((c) => c.name);
      return {
        training: finalFitTraining,
        config,
        epochs,
        ...(hybrid ? { servedBy: hybrid.servedBy(), cached } : {}),
        metrics: toInterval(result.summary),
        beyondAccuracy: result.beyondAccuracy ?? {},
        differences: finalFitDifferences(result, chosen.standard, {
          seed: this.spec.seed,
          resamples: this.spec.bootstrapResamples,
        }),
        trainMs,
        evalMs: tools.now() - evalStart,
      };
    } finally {
      model.dispose();
    }
  }

  /** The trained item vectors of a model that has them (mf, sasrec, gru), for the export buttons. */
  private itemEmbeddings(recommender: Recommender): LabItemEmbeddings | undefined {
    if (!embeddingModels.has(recommender.name)) return undefined;
    const snapshot = recommender.save();
    if (!hasItemEmbeddings(snapshot)) return undefined;
    return { ...itemEmbeddingsOf(snapshot), itemIds: this.dataset.itemIds };
  }

  /**
   * A model's second fitting step, for a model that has one (the hybrid fits its blend weights), on
   * the validation fold (never the test fold), its stages reported as progress.
   */
  private async fitOnValidation(
    recommender: Recommender,
    split: DataSplit,
    fold: number,
    foldShare: (within: number) => number,
  ): Promise<LabModelResult['blend']> {
    if (!recommender.fitOnValidation) return undefined;
    if (!split.validation) throw new RangeError(`${this.model.name} needs a validation fold for its blend`);
    // ranked under the run's own protocol, so what it decides is about the ranking the run reports
    return recommender.fitOnValidation(split.validation, {
      signal: this.tools.signal,
      protocol: this.protocol,
      onMessage: (message) => this.tools.report(this.progress('validation', message, foldShare(0.5), fold)),
    });
  }

  /** Epochs trained, kept and stopped early, for a learned model (the others have no epochs). */
  private epochSummary(
    fitted: EpochFitResult,
  ): Pick<LabModelResult, 'epochsTrained' | 'keptEpoch' | 'stoppedEarly'> {
    if (!isIterative(this.model.name)) return {};
    if (fitted.outcome) {
      const { epochsTrained, keptEpoch, stoppedEarly } = fitted.outcome;
      return { epochsTrained, keptEpoch, stoppedEarly };
    }
    // not validated per epoch (no validation fold): the last epoch is the one evaluated
    const last = fitted.points[fitted.points.length - 1]?.epoch;
    return last === undefined ? {} : { epochsTrained: last, keptEpoch: last, stoppedEarly: false };
  }

  private progress(
    stage: LabProgress['stage'],
    message: string,
    fraction: number,
    fold?: number,
  ): LabProgress {
    const progress: LabProgress = {
      stage,
      message: `${this.model.name}: ${message}`,
      fraction,
      model: this.model.name,
    };
    if (fold !== undefined && this.splits.length > 1) {
      progress.fold = fold + 1;
      progress.folds = this.splits.length;
    }
    return progress;
  }

  /**
   * Trains and returns the loss per epoch, reporting each epoch as it ends. A learned model with a
   * validation fold is scored on it after every epoch (validation NDCG@10: the live curve); with
   * earlyStoppingPatience it stops once that many epochs in a row brought no improvement, and the
   * best epoch's weights are restored (fitWithValidation, which tuning trials use too).
   */
  private async fit(
    recommender: Recommender,
    split: DataSplit,
    fold: number,
    foldShare: (within: number) => number,
  ): Promise<EpochFitResult> {
    this.tools.report(this.progress('training', 'training', foldShare(0), fold));
    const fitted = await fitWithValidation(recommender, split.train, {
      validation: isIterative(this.model.name) ? split.validation : undefined,
      componentValidation: isComposite(this.model.name) ? split.validation : undefined,
      validate: (trained, validation) => this.validationNdcg(trained, validation),
      patience: splitLabSettings(this.model).patience,
      restoreBest: true,
      signal: this.tools.signal,
      modelCache: this.tools.modelCache && {
        store: this.tools.modelCache.store,
        data: `${this.tools.modelCache.data} | fold ${fold}`,
      },
      onMessage: (message) => this.tools.report(this.progress('training', message, foldShare(0), fold)),
      onComponentProgress: (component, p) =>
        this.tools.report(
          this.progress(
            'training',
            `${component} epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`,
            foldShare(0),
            fold,
          ),
        ),
      onEpoch: (p) =>
        this.tools.report({
          ...this.progress(
            'training',
            `epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}`,
            foldShare((0.5 * p.epoch) / p.epochs),
            fold,
          ),
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
          etaSec: p.etaSec,
        }),
      onValidated: (epoch, epochs, score) =>
        this.tools.report({
          ...this.progress(
            'validation',
            `epoch ${epoch}: validation NDCG@10 ${score.toFixed(4)}`,
            foldShare((0.5 * epoch) / Math.max(1, epochs)),
            fold,
          ),
          epoch,
          epochs,
          validationNdcg10: score,
        }),
    });
    const { outcome } = fitted;
    if (outcome && outcome.keptEpoch !== outcome.epochsTrained) {
      this.tools.report(
        this.progress(
          'validation',
          `kept epoch ${outcome.keptEpoch} (validation NDCG@10 ${outcome.bestScore.toFixed(4)})`,
          foldShare(0.5),
          fold,
        ),
      );
    }
    return fitted;
  }

  private async validationNdcg(recommender: Recommender, fold: EvalFold): Promise<number> {
    const result = await evaluateRecommender(recommender, fold, this.protocol, {
      ks: [10],
      seed: this.spec.seed,
      signal: this.tools.signal,
      bootstrapResamples: 1, // only the mean is used
    });
    return mean(result.perUser['NDCG@10']);
  }

  private async evaluate(
    recommender: Recommender,
    fold: EvalFold,
    foldIndex: number,
    foldShare: (within: number) => number,
  ): Promise<EvaluationResult> {
    const start = this.tools.now();
    const result = await evaluateRecommender(recommender, fold, this.protocol, {
      ks: this.spec.ks,
      seed: this.spec.seed,
      signal: this.tools.signal,
      topKOut: this.spec.topK,
      beyondAccuracy: true,
      bootstrapResamples: this.spec.bootstrapResamples,
      onProgress: ({ done, total }) => {
        const elapsed = (this.tools.now() - start) / 1000;
        this.tools.report({
          ...this.progress(
            'evaluation',
            `ranking for ${done}/${total} users`,
            foldShare(0.5 + (0.5 * done) / Math.max(1, total)),
            foldIndex,
          ),
          usersDone: done,
          usersTotal: total,
          etaSec: done > 0 ? (elapsed / done) * (total - done) : undefined,
        });
      },
    });
    this.protocolDescription = result.protocol;
    return result;
  }

  /** Grid or random search over the first split (tuneModel), reporting as this run. */
  private tune(): Promise<{ trials: LabTrialResult[]; params: Record<string, number> }> {
    const { model, spec, tools } = this;
    return tuneModel({
      model,
      seed: spec.seed,
      folds: tuningFolds(this.splits[0], model.tuning!, spec.seed, this.protocol, this.dataset.userIds),
      hasItemAttributes: tools.hasItemAttributes,
      signal: tools.signal,
      report: tools.report,
      share: tools.share,
      makeModel: tools.makeModel,
      progress: (stage, message, fraction) => this.progress(stage, message, fraction),
      validationNdcg: (recommender, fold) => this.validationNdcg(recommender, fold),
    });
  }
}
