/** The Hugging Face directory of stem-mini (config.json, model.safetensors, vocab.txt). */
export declare const stemMiniDirectory: string;
/**
 * `model/quality-gates.json` (format `stem.quality-gates.v1`): stem-mini's quality gates with
 * their numbers and pass/fail, as MODEL_CARD.md states them; `stem report` reads it from
 * beside the weights a run's `encoder.path` names.
 */
export declare const stemMiniQualityGatesFile: string;
