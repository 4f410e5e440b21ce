import { parityWithPyTorch } from './support/parity-suite.js';

// wasm: the backend of machines without the native TensorFlow build (CI, these machines).
parityWithPyTorch('wasm');
