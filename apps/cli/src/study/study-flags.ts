import { Flags } from '@oclif/core';
import { STUDY_SETTINGS } from '@stem/study';

/** Flags shared by `stem study` and `stem study plan`. */
export const studyFlags = {
  config: Flags.string({ char: 'c', required: true, description: 'Study config (YAML or JSON).' }),
  only: Flags.string({
    description: `Only these settings, comma-separated: ${STUDY_SETTINGS.join(', ')} (static = probes of the encoder before fine-tuning).`,
  }),
  tasks: Flags.string({ description: 'Only these tasks, comma-separated (e.g. pos,dep).' }),
  seeds: Flags.integer({ min: 1, description: 'Run seeds 1..N instead of the config’s.' }),
  set: Flags.string({
    description: 'Override a study config field: path.to.field=value. Repeatable.',
    multiple: true,
    default: [],
  }),
  out: Flags.string({
    description: 'Study directory (default: the config’s `directory`, else studies/<name>).',
  }),
};
