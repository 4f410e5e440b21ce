// One forward + backward + Adam step of @stem/encoder-transformer with a token classifier on
// random token ids: the same work as compare.mjs's PyTorch reference (its --reference).
import { importBuilt } from '../repository.mjs';
const { SeededRandom } = await importBuilt('packages/core/dist/index.js');
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
};

/** Builds the model and returns `step()`, which runs one step and resolves to its loss. */
export function makeStep(tf, options) {
  const a = { ...STEP_DEFAULTS, ...options };
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
  const optimizer = tf.train.adam(1e-3);
  const step = async () => {
    const loss = optimizer.minimize(() => {
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
    }, true);
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  step.parameterCount = parameterCount(architecture) + a.hidden * a.labels + a.labels;
  step.tokens = a.batch * a.seq;
  return step;
}
