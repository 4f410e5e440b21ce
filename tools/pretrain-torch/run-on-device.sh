#!/usr/bin/env bash
# The accelerator run that made stem-mini (see MODEL_CARD.md of @stem/model-stem-mini):
# inputs prepared by export-token-ids.mjs and export-probe-sentences.mjs under .device/.
set -euo pipefail
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
python3 -c 'import torch; print("torch", torch.__version__)'
python3 tools/pretrain-torch/pretrain_mlm.py --tokens .device/tokens --config .device/config.json \
  --probe .device/tokens/ewt-test.jsonl --out "${OUT:-/tmp/stem-mini-out}" "$@"
