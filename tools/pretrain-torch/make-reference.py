"""Reference outputs of stem-mini computed by PyTorch (pretrain_mlm.BertMlm), for the test
that checks stem's encoder reads the shipped weights exactly: the first sentences of UD
EWT test as stem tokenises them (export-probe-sentences.mjs), their word vectors (mean of
the last layer's sub-word states) and the last layer's sub-word attention.

Usage: python3 make-reference.py <model-dir> <ewt-test.jsonl> <out.json> [sentences]
"""

import json
import sys

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pretrain_mlm import BertMlm, load_safetensors_f16  # noqa: E402


def main():
    model_dir, probe_file, out = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    config = json.load(open(f"{model_dir}/config.json"))
    model = BertMlm(config)
    model.load_hf_state(load_safetensors_f16(f"{model_dir}/model.safetensors"))
    model.eval()
    sentences = [json.loads(line) for line in open(probe_file)][:count]
    reference = []
    with torch.no_grad():
        for s in sentences:
            ids = torch.tensor([s["ids"]])
            states, attentions = model.encode(ids, want_attention=True)
            words = torch.stack([states[0, a : b + 1].mean(0) for a, b in s["spans"]])
            reference.append(
                {
                    "ids": s["ids"],
                    "wordVectors": [[round(v, 6) for v in row] for row in words.tolist()],
                    "lastLayerAttention": [[[round(v, 7) for v in row] for row in head] for head in attentions[-1][0].tolist()],
                }
            )
    json.dump({"model": "stem-mini", "torch": torch.__version__, "sentences": reference}, open(out, "w"))


if __name__ == "__main__":
    main()
