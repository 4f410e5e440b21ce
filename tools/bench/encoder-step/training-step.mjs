// One forward + backward + optimiser step of @stem/encoder-transformer with a token classifier
// on random token ids: the same work as pytorch_step.py, compare.mjs's PyTorch baseline.
import { importBuilt } from '../repository.mjs';
const { AdamW, SeededRandom } = await importBuilt('packages/core/dist/index.js');
const { architectureFor, forwardTransformer, ParameterStore, parameterCount } = await importBuilt(
  'plugins/encoder-transformer/dist/index.js',
);

export const STEP_DEFAULTS = {
  vocab: 8000,
  hidden: 128,
  layers: 2,
  heads: 4,
  ffn: 512,
  labels: 20,
  batch: 16,
  seq: 32,
  seed: 0,
  learningRate: 1e-3,
  /** AdamW's decoupled weight decay (stem-mini's recipe); unused by `optimizer: 'adam'`. */
  weightDecay: 0.01,
};

/**
 * `adamw`: @stem/core's AdamW, the optimiser stem's trainer runs (per-variable tfjs ops).
 * `adam`: tfjs's built-in Adam without weight decay, what this bench measured before 2026-12.
 */
export const OPTIMIZERS = ['adamw', 'adam'];

/** Runs `work` as the named part of a step; profile-step.mjs passes a timer, the bench nothing. */
const untimed = (_phase, work) => work();

/**
 * Builds the model and returns `step()`, which runs one step and resolves to its loss.
 * `phase(name, work)` wraps each part: `forward` (inside `backward`, which is tfjs's gradient
 * tape over it), `optimizer`, `readback` (the loss copied out) and `dispose`.
 */
export function makeStep(tf, options = {}, phase = untimed) {
  const a = { ...STEP_DEFAULTS, optimizer: 'adamw', ...options };
  if (!OPTIMIZERS.includes(a.optimizer))
    throw new Error(`unknown optimizer "${a.optimizer}": use one of ${OPTIMIZERS.join(', ')}`);
  const random = new SeededRandom(a.seed);
  const architecture = architectureFor(
    {
      arch: 'bert',
      layers: a.layers,
      heads: a.heads,
      hidden: a.hidden,
      intermediate: a.ffn,
      maxPositions: Math.max(512, a.seq),
    },
    a.vocab,
  );
  const params = ParameterStore.random(tf, architecture, () => random.next());
  const classifierWeight = tf.variable(
    tf.randomNormal([a.hidden, a.labels], 0, 0.02, 'float32', random.nextSeed()),
  );
  const classifierBias = tf.variable(tf.zeros([a.labels]));
  const ids = Array.from({ length: a.batch }, () =>
    Array.from({ length: a.seq }, () => random.int(a.vocab)),
  );
  const mask = ids.map((row) => row.map(() => 1));
  const gold = tf.oneHot(
    tf.tensor1d(
      ids.flat().map(() => random.int(a.labels)),
      'int32',
    ),
    a.labels,
  );
  const lossOfBatch = () =>
    phase('forward', () => {
      const { hidden } = forwardTransformer(
        tf,
        architecture,
        params,
        { ids, mask },
        { dropoutSeed: () => random.nextSeed() },
      );
      const logits = tf.add(
        tf.matMul(tf.reshape(hidden, [-1, a.hidden]), classifierWeight),
        classifierBias,
      );
      return tf.losses.softmaxCrossEntropy(gold, logits);
    });
  const variables = [...params.variables.values(), classifierWeight, classifierBias];
  const update = makeUpdate(tf, a, variables);
  const step = async () => {
    const { value, grads } = phase('backward', () => tf.variableGrads(lossOfBatch, variables));
    phase('optimizer', () => update(grads));
    const loss = (await phase('readback', () => value.data()))[0];
    phase('dispose', () => {
      value.dispose();
      tf.dispose(grads);
    });
    return loss;
  };
  step.parameterCount = parameterCount(architecture) + a.hidden * a.labels + a.labels;
  step.tokens = a.batch * a.seq;
  step.optimizer =
    a.optimizer === 'adamw'
      ? `adamw lr ${a.learningRate} wd ${a.weightDecay}`
      : `adam lr ${a.learningRate}`;
  return step;
}

/** The optimiser's update from a gradient map (variable name -> gradient). */
function makeUpdate(tf, a, variables) {
  if (a.optimizer === 'adam') {
    const adam = tf.train.adam(a.learningRate);
    return (grads) => adam.applyGradients(grads);
  }
  const adamw = new AdamW(
    tf,
    [{ name: 'all', variables, learningRate: a.learningRate, weightDecay: a.weightDecay }],
    { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: a.weightDecay },
  );
  return (grads) => adamw.apply(new Map(Object.entries(grads)), 1);
}
