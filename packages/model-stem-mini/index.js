// The Hugging Face directory of stem-mini, for `encoder.path` or `stem model inspect`.
import { fileURLToPath } from 'node:url';

export const stemMiniDirectory = fileURLToPath(new URL('./model', import.meta.url));
