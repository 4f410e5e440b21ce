import { SeededRandom, type DatasetReader, type Sentence, type Split } from '@stem/core';
import type { StudyConfig } from './study-config.js';
import type { StudySession } from './study-session.js';

/** Sentences of each task's probed split (and fit split), read once per study and process. */
export class ProbeSentences {
  private readonly cache = new Map<string, Sentence[]>();
  constructor(
    private readonly session: StudySession,
    private readonly config: StudyConfig,
  ) {}

  async of(task: string, split: Split): Promise<Sentence[]> {
    const key = `${task}/${split}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { session, config } = this;
    const section = config.tasks[task]!.dataset as { type: string };
    const component = session.registry.require('dataset', section.type);
    const { type: _type, ...fields } = component.schema.parse(section) as { type: string };
    const reader = (await component.registration.create(fields, {
      tf: session.tf,
      random: new SeededRandom(0),
      container: session.container,
    })) as DatasetReader;
    const all = await reader.read(split);
    const sentences = config.probes.limit ? all.slice(0, config.probes.limit) : all;
    this.cache.set(key, sentences);
    return sentences;
  }
}
