/** The Hugging Face directory of stem-mini (config.json, model.safetensors, vocab.txt). */
export declare const stemMiniDirectory: string;
