import type { Sentence } from '../contracts/annotations.js';
import type { EncodeOptions, Encoder } from '../contracts/encoder.js';
import type { TaskHead } from '../contracts/task-head.js';
import type { NamedTensorMap, Scalar, TensorFlow, Variable } from '../contracts/tensorflow.js';
import type { TaskGradients, TrainingComponent } from '../contracts/training-component.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { encodeOptionsFor, prepareBatch, targetsOf } from './batch-preparation.js';
import { TokenizedCorpus } from './tokenized-corpus.js';

/** What one task's gradient is taken through: the encoder, its head, the run's components. */
export interface TaskGradientModel {
  encoder: Encoder;
  head: TaskHead;
  components: ReadonlyArray<{ name: string; component: TrainingComponent }>;
}

/**
 * A task's loss on `sentences` (one batch, evaluation mode: no dropout) and its gradients,
 * with nothing updated: with respect to the encoder's trainable weights and to those of the
 * components that give evaluation options (their options are taken inside the tape, so e.g.
 * head gates get a gradient). Keys as in checkpoints: `encoder/<weight>`,
 * `component/<name>/<weight>`. `random` drives the head's batch preparation (`batch`) and
 * loss (`head`). Serves the trainer's `TrainingUpdateContext.gradientsOf` and post-hoc
 * measurements on a loaded run alike.
 */
export async function taskGradients(
  tf: TensorFlow,
  model: TaskGradientModel,
  sentences: readonly Sentence[],
  random: SeededRandom,
): Promise<TaskGradients> {
  const { encoder, head } = model;
  const batch = (await TokenizedCorpus.create(encoder, sentences)).batch(
    sentences.map((_, i) => i),
  );
  const prepared = prepareBatch(head, batch, random.fork('batch'), false);
  const names = new Map<string, string>();
  const nameAll = (weights: NamedTensorMap, prefix: string) => {
    for (const [weight, tensor] of Object.entries(weights))
      if ('trainable' in tensor) names.set((tensor as Variable).name, `${prefix}/${weight}`);
  };
  nameAll(encoder.weights(), 'encoder');
  const feeding = model.components.filter(({ component }) => component.evaluationEncodeOptions);
  for (const { name, component } of feeding) nameAll(component.weights(), `component/${name}`);
  const variables = [
    ...encoder.trainableVariables(),
    ...feeding.flatMap(({ component }) => component.trainableVariables()),
  ];
  const { value, grads } = tf.variableGrads(() => {
    // Inside the tape, so the options (gates) are differentiable; its scope disposes them.
    const extra: Partial<EncodeOptions> = {};
    for (const { component } of feeding)
      Object.assign(extra, component.evaluationEncodeOptions?.() ?? {});
    return head.loss(
      encoder.encode(prepared.tokens, encodeOptionsFor(head, { ...extra, training: false })),
      batch.sentences,
      { random: random.fork('head'), ...targetsOf(prepared) },
    ) as Scalar;
  }, variables);
  const loss = (await value.data())[0] as number;
  value.dispose();
  const gradients: NamedTensorMap = {};
  for (const [variable, gradient] of Object.entries(grads)) {
    const name = names.get(variable);
    if (name) gradients[name] = gradient;
    else gradient.dispose();
  }
  return { loss, gradients };
}
