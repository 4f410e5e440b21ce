import type { AttentionSelection, WordAttentionView } from '@stem/encoder-transformer';
import { openAttentionModel, type AttentionModel } from '../attention/attention-model.js';
import type { StemSession } from '../session/stem-session.js';

/**
 * The attention of runs, computed in this process by `stem model attend`'s code. Loaded runs
 * are kept (the last `keep` of them) so typing sentence after sentence does not reload a
 * checkpoint, and calls run one at a time: the process has one TensorFlow engine.
 */
export class RunAttention {
  private readonly models = new Map<string, AttentionModel>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly session: StemSession,
    private readonly keep = 2,
  ) {}

  attend(
    runDirectory: string,
    words: string[],
    select: AttentionSelection,
  ): Promise<WordAttentionView> {
    const next = this.queue.then(async () => {
      const model = await this.model(runDirectory);
      return model.attend(words, select);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async model(runDirectory: string): Promise<AttentionModel> {
    const loaded = this.models.get(runDirectory);
    if (loaded) {
      // Most recently used last.
      this.models.delete(runDirectory);
      this.models.set(runDirectory, loaded);
      return loaded;
    }
    const model = await openAttentionModel(this.session, runDirectory);
    this.models.set(runDirectory, model);
    for (const [directory, old] of this.models) {
      if (this.models.size <= this.keep) break;
      old.release();
      this.models.delete(directory);
    }
    return model;
  }

  /** Frees every loaded run (after the last call has finished). */
  async release(): Promise<void> {
    await this.queue;
    for (const model of this.models.values()) model.release();
    this.models.clear();
  }
}
