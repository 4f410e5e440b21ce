import { HEAD_GATES_ID, pruningEpochs } from '@stem/analyzer-pruning';
import { readConfigFile } from '@stem/core';
import { PRUNING_ENCODER_LEARNING_RATE } from '@stem/study';

/**
 * `--set` overrides that make a config a pruning run, placed before the user's own: a
 * `trainingComponents.pruning` section with the head gates when the config has none, and
 * the pruning encoder learning rate and the maximum epochs of He & Choi 2021 for the tasks
 * (30; 100 for NER and SRL: a maximum; the run stops on patience once every gate is decided)
 * when neither the file nor `--set` gives them.
 */
export async function pruningOverrides(
  file: string,
  userOverrides: readonly string[],
): Promise<string[]> {
  let raw: Record<string, unknown>;
  try {
    raw = (await readConfigFile(file)).data;
  } catch {
    return []; // loading the config reports the problem with its line
  }
  const components = (raw.trainingComponents ?? {}) as Record<string, { type?: unknown }>;
  const hasGates = Object.values(components).some((c) => c?.type === HEAD_GATES_ID);
  const userSets = (path: string) => userOverrides.some((o) => o.startsWith(`${path}=`));
  const trainer = (raw.trainer ?? {}) as Record<string, unknown>;
  const overrides: string[] = [];
  if (!hasGates && !userSets('trainingComponents.pruning.type'))
    overrides.push(`trainingComponents.pruning.type=${HEAD_GATES_ID}`);
  if (trainer.encoderLearningRate === undefined && !userSets('trainer.encoderLearningRate'))
    overrides.push(`trainer.encoderLearningRate=${PRUNING_ENCODER_LEARNING_RATE}`);
  const tasks = Object.values((raw.tasks ?? {}) as Record<string, { type?: unknown }>).filter(
    (t): t is { type: string } => typeof t?.type === 'string',
  );
  if (tasks.length > 0 && trainer.epochs === undefined && !userSets('trainer.epochs'))
    overrides.push(`trainer.epochs=${pruningEpochs(tasks)}`);
  return overrides;
}
