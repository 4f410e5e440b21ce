#!/usr/bin/env python3
"""PyTorch CPU baseline for compare.mjs: the training step of training-step.mjs, written out in PyTorch.

The same work as stem's step, operation for operation where it costs time: token, position and
token-type embeddings, LayerNorm and dropout; post-LayerNorm BERT layers with separate query,
key and value projections, an additive attention mask, dropout on the attention probabilities
and after both sub-layers, erf GELU; a token classifier; mean cross-entropy; AdamW
(decoupled weight decay; --optimizer adam for the old bench's plain Adam). Dropout is on.

Prints one JSON line: the time of every timed step (after the warm-up), their median, the
losses of the first and last step, PyTorch's version and thread settings.

  apt-get install -y python3-torch libopenblas0-pthread
  /usr/bin/python3 tools/bench/encoder-step/pytorch_step.py --layers 4 --heads 8 --hidden 256 --ffn 1024 --batch 16 --seq 32 --threads 1
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

LAYER_NORM_EPS = 1e-12  # BERT's, as stem's architectureFor('bert') uses
DROPOUT = 0.1  # hidden and attention dropout of a BERT config


def init_normal(module):
    """BERT's initialisation: N(0, 0.02) weights, zero biases; LayerNorm stays at 1 and 0."""
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.normal_(module.weight, std=0.02)
    if isinstance(module, nn.Linear):
        nn.init.zeros_(module.bias)


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, ffn):
        super().__init__()
        if hidden % heads != 0:
            raise SystemExit(f"--hidden {hidden} is not a multiple of --heads {heads}")
        self.heads = heads
        self.head_size = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=LAYER_NORM_EPS)
        self.intermediate = nn.Linear(hidden, ffn)
        self.ffn_out = nn.Linear(ffn, hidden)
        self.ffn_norm = nn.LayerNorm(hidden, eps=LAYER_NORM_EPS)

    def split_heads(self, x, rows, length):
        return x.view(rows, length, self.heads, self.head_size).transpose(1, 2)

    def forward(self, x, mask_bias):
        rows, length, hidden = x.shape
        q = self.split_heads(self.query(x), rows, length)
        k = self.split_heads(self.key(x), rows, length)
        v = self.split_heads(self.value(x), rows, length)
        scores = (q * (1 / math.sqrt(self.head_size))) @ k.transpose(-1, -2) + mask_bias
        probs = F.dropout(scores.softmax(-1), DROPOUT, self.training)
        context = (probs @ v).transpose(1, 2).reshape(rows, length, hidden)
        attended = F.dropout(self.attention_out(context), DROPOUT, self.training)
        x = self.attention_norm(attended + x)
        inner = F.gelu(self.intermediate(x))  # erf form, as stem's gelu
        out = F.dropout(self.ffn_out(inner), DROPOUT, self.training)
        return self.ffn_norm(out + x)


class TokenTagger(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, ffn, labels, max_positions):
        super().__init__()
        self.words = nn.Embedding(vocab, hidden)
        self.positions = nn.Embedding(max_positions, hidden)
        self.token_types = nn.Embedding(2, hidden)
        self.embedding_norm = nn.LayerNorm(hidden, eps=LAYER_NORM_EPS)
        self.layers = nn.ModuleList(EncoderLayer(hidden, heads, ffn) for _ in range(layers))
        self.classifier = nn.Linear(hidden, labels)
        self.apply(init_normal)

    def forward(self, ids, mask):
        rows, length = ids.shape
        # One position lookup per token, as stem gathers them (its gradient is a scatter-add too).
        positions = torch.arange(length).expand(rows, length)
        x = self.words(ids) + self.positions(positions) + self.token_types.weight[0]
        x = F.dropout(self.embedding_norm(x), DROPOUT, self.training)
        # Padded keys get a large negative score (every token is real here, as in stem's bench).
        mask_bias = ((1 - mask) * -1e9).view(rows, 1, 1, length)
        for layer in self.layers:
            x = layer(x, mask_bias)
        return self.classifier(x)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name, default in [("vocab", 8000), ("hidden", 128), ("layers", 2), ("heads", 4),
                          ("ffn", 512), ("labels", 20), ("batch", 16), ("seq", 32),
                          ("steps", 20), ("warmup", 3), ("threads", 1), ("seed", 0)]:
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--optimizer", choices=["adamw", "adam"], default="adamw")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    args = parser.parse_args()
    for name in ("hidden", "layers", "heads", "ffn", "labels", "batch", "seq", "steps", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(args, name)}")
    return args


def main():
    a = parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    model = TokenTagger(a.vocab, a.hidden, a.layers, a.heads, a.ffn, a.labels, max(512, a.seq))
    model.train()
    if a.optimizer == "adamw":
        optimizer = torch.optim.AdamW(model.parameters(), lr=a.learning_rate, eps=1e-8,
                                      weight_decay=a.weight_decay)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=a.learning_rate)
    ids = torch.randint(0, a.vocab, (a.batch, a.seq))
    mask = torch.ones(a.batch, a.seq)
    gold = torch.randint(0, a.labels, (a.batch * a.seq,))
    times, losses = [], []
    for step in range(a.warmup + a.steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        logits = model(ids, mask).reshape(-1, a.labels)
        loss = F.cross_entropy(logits, gold)
        loss.backward()
        optimizer.step()
        value = loss.item()  # stem reads its loss back every step too
        elapsed = (time.perf_counter() - start) * 1000
        if step >= a.warmup:
            times.append(round(elapsed, 3))
        losses.append(round(value, 4))
    median = statistics.median(times)
    print(json.dumps({
        "impl": f"pytorch-{torch.__version__}",
        "threads": torch.get_num_threads(),
        "cfg": f"B{a.batch} T{a.seq} H{a.hidden} L{a.layers} heads{a.heads} F{a.ffn} V{a.vocab}",
        "optimizer": f"{a.optimizer} lr {a.learning_rate} wd {a.weight_decay if a.optimizer == 'adamw' else 0}",
        "params": sum(p.numel() for p in model.parameters()),
        "samples": times,
        "medianMs": round(median, 3),
        "stepMs": round(median, 1),
        "tokensPerSec": round(a.batch * a.seq / (median / 1000)),
        "loss": [losses[0], losses[-1]],
    }))


if __name__ == "__main__":
    main()
