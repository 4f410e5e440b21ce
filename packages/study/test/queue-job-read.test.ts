import { describe, expect, it } from 'vitest';
import { readUnitJob } from '../src/queue/queue-executor.js';

/**
 * A queue whose worker finishes the unit right after the coordinator's first read, whichever
 * read that is: it adds the unit's files to the job's data, then marks it completed (the order
 * `stem worker` follows). Each read returns what it saw before that moment.
 */
function racingQueue() {
  const data: { unit: string; files?: Record<string, string> } = { unit: 'stl-dp-ner-s2' };
  let completed = false;
  const workerFinishes = () => {
    if (completed) return;
    data.files = { 'pruning/stl-dp-ner-s2/results.json': Buffer.from('{}').toString('base64') };
    completed = true;
  };
  return {
    async getJobState() {
      const state = completed ? 'completed' : 'active';
      workerFinishes();
      return state;
    },
    async getJob() {
      const job = { data: { ...data } };
      workerFinishes();
      return job;
    },
  };
}

describe('readUnitJob', () => {
  it('never sees a completed job without the files its worker added before completing it', async () => {
    const q = racingQueue();
    const seen: { state: string; files: boolean }[] = [];
    for (let poll = 0; poll < 2; poll++) {
      const { state, job } = await readUnitJob(q as never, 'stl-dp-ner-s2');
      seen.push({ state, files: job?.data.files !== undefined });
    }
    // The job completed between the first poll's two reads: that poll still says "active".
    expect(seen).toEqual([
      { state: 'active', files: true },
      { state: 'completed', files: true },
    ]);
  });

  it('says "unknown" with no job for a unit the queue does not have', async () => {
    const q = { getJobState: async () => 'unknown', getJob: async () => undefined };
    expect(await readUnitJob(q as never, 'gone')).toEqual({ state: 'unknown', job: undefined });
  });
});
