import { describe, expect, it } from 'vitest';
import { selectBackend } from '../src/compute/select-backend.js';

describe('selectBackend', () => {
  it('falls back past the native packages that cannot load and records why', async () => {
    const { info, tf } = await selectBackend('auto');
    expect(['gpu', 'cpu', 'wasm', 'js']).toContain(info.device);
    expect(tf.getBackend()).toBe(info.backend);
    expect(info.tfjsVersion).toBe(tf.version.tfjs);
    // Every device tried before the chosen one is explained.
    const order = ['gpu', 'cpu', 'wasm', 'js'];
    expect(info.skipped.map((s) => s.device)).toEqual(order.slice(0, order.indexOf(info.device)));
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).arraySync());
    expect(sum).toEqual([4, 6]);
  });

  it('refuses to switch devices once chosen', async () => {
    const { info } = await selectBackend('auto');
    const other = info.device === 'js' ? 'wasm' : 'js';
    await expect(selectBackend(other)).rejects.toThrow(/already initialised/);
  });
});
