// The Hugging Face directory of stem-mini, for `encoder.path` or `stem model inspect`.
import { fileURLToPath } from 'node:url';

export const stemMiniDirectory = fileURLToPath(new URL('./model', import.meta.url));

// Its quality gates (MODEL_CARD.md), machine-readable, beside the weights they were measured on.
export const stemMiniQualityGatesFile = fileURLToPath(
  new URL('./model/quality-gates.json', import.meta.url),
);
