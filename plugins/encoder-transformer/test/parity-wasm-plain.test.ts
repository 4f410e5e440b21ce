import { parityWithPyTorch } from './support/parity-suite.js';

// wasm without @stem/compute-native's OpenBLAS kernels (parity.test.ts runs wasm with them
// wherever the addon is built).
parityWithPyTorch('wasm-plain');
