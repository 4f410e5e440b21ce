import { selectBackend, type DeviceChoice, type TensorFlow } from '@stem/core';

/** The backend tests run on: STEM_TEST_DEVICE, else wasm (what these machines have). */
export async function testTf(): Promise<TensorFlow> {
  const device = (process.env['STEM_TEST_DEVICE'] ?? 'wasm') as DeviceChoice;
  return (await selectBackend(device)).tf;
}
