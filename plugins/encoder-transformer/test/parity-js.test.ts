import { parityWithPyTorch } from './support/parity-suite.js';

// The pure-JavaScript backend, the last fallback.
parityWithPyTorch('js');
