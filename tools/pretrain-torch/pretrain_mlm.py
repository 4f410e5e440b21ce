"""Masked-LM pretraining of a small post-LayerNorm BERT on an accelerator (PyTorch).

This is stem-mini's accelerator recipe. Its inputs come from stem: the corpus built by
`stem data build pretraining-en`, tokenised by stem's own tokenizer (export-token-ids.mjs),
and the architecture of a `stem model init` directory (config.json). It writes a Hugging
Face BertForMaskedLM checkpoint (`bert.*` + `cls.predictions.*`, float16) that stem loads
through `encoder.path` like any Hugging Face directory.

The model below is written out (no `transformers`), so the script runs on any PyTorch >= 1.13
and its maths is BERT's exactly: post-LayerNorm, erf GELU, LayerNorm eps 1e-12, token type 0
added, tied output projection with its own bias.

Usage:
  python3 pretrain_mlm.py --tokens DIR --config config.json --out DIR [--minutes 6] [...]
"""

import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SPECIAL = {"pad": 0, "unk": 1, "cls": 2, "sep": 3, "mask": 4}


def log(message):
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- data


def load_split(directory, split):
    ids = np.fromfile(os.path.join(directory, f"{split}.ids.u16"), dtype="<u2").astype(np.int64)
    sentence_ends = np.fromfile(os.path.join(directory, f"{split}.sent.u32"), dtype="<u4")
    document_ends = np.fromfile(os.path.join(directory, f"{split}.doc.u32"), dtype="<u4")
    return ids, sentence_ends, document_ends


def pack(ids, sentence_ends, document_ends, length):
    """Sequences of [CLS] sentences... [SEP], filled with whole sentences of one document up
    to `length` sub-words (a longer sentence is cut into pieces); padded with [PAD]."""
    body = length - 2
    rows = []
    start_sentence = 0
    for doc_end in document_ends:
        current = []
        for s in range(start_sentence, int(doc_end)):
            begin = 0 if s == 0 else int(sentence_ends[s - 1])
            sentence = ids[begin : int(sentence_ends[s])].tolist()
            if current and len(current) + len(sentence) > body:
                rows.append(current)
                current = []
            while len(sentence) > body:
                rows.append(sentence[:body])
                sentence = sentence[body:]
            current = current + sentence
        if current:
            rows.append(current)
        start_sentence = int(doc_end)
    out = np.full((len(rows), length), SPECIAL["pad"], dtype=np.int64)
    for i, row in enumerate(rows):
        out[i, 0] = SPECIAL["cls"]
        out[i, 1 : 1 + len(row)] = row
        out[i, 1 + len(row)] = SPECIAL["sep"]
    return torch.from_numpy(out)


def mask_tokens(batch, rate, vocab_size, generator):
    """BERT masking: `rate` of the non-special positions; of those 80% [MASK], 10% a random
    sub-word, 10% unchanged. Labels are -100 where nothing is predicted."""
    special = batch <= SPECIAL["mask"]
    chosen = (torch.rand(batch.shape, generator=generator, device=batch.device) < rate) & ~special
    labels = torch.where(chosen, batch, torch.full_like(batch, -100))
    roll = torch.rand(batch.shape, generator=generator, device=batch.device)
    inputs = batch.clone()
    inputs[chosen & (roll < 0.8)] = SPECIAL["mask"]
    randomise = chosen & (roll >= 0.8) & (roll < 0.9)
    random_ids = torch.randint(
        SPECIAL["mask"] + 1, vocab_size, batch.shape, generator=generator, device=batch.device
    )
    inputs[randomise] = random_ids[randomise]
    return inputs, labels


def unigram_entropy(ids, vocab_size):
    counts = np.bincount(ids, minlength=vocab_size).astype(np.float64)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


# ----------------------------------------------------------------------------- model


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, dropout):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_output = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.intermediate = nn.Linear(hidden, intermediate)
        self.output = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = dropout

    def split(self, x):
        b, n, h = x.shape
        return x.view(b, n, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x, additive_mask, want_attention=False):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        drop = self.dropout if self.training else 0.0
        additive_mask = additive_mask.to(q.dtype)
        if want_attention or not hasattr(F, "scaled_dot_product_attention"):
            scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + additive_mask
            attention = scores.softmax(-1)
            context = F.dropout(attention, drop, self.training) @ v
        else:
            attention = None
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=additive_mask, dropout_p=drop)
        b, _, n, _ = context.shape
        context = context.transpose(1, 2).reshape(b, n, -1)
        x = self.attention_norm(x + F.dropout(self.attention_output(context), drop, self.training))
        inner = F.gelu(self.intermediate(x))
        x = self.output_norm(x + F.dropout(self.output(inner), drop, self.training))
        return x, attention


class BertMlm(nn.Module):
    def __init__(self, config):
        super().__init__()
        hidden = config["hidden_size"]
        self.config = config
        self.word = nn.Embedding(config["vocab_size"], hidden)
        self.position = nn.Embedding(config["max_position_embeddings"], hidden)
        self.token_type = nn.Embedding(config.get("type_vocab_size", 2), hidden)
        self.embedding_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList(
            Layer(hidden, config["num_attention_heads"], config["intermediate_size"], config["hidden_dropout_prob"])
            for _ in range(config["num_hidden_layers"])
        )
        self.transform = nn.Linear(hidden, hidden)
        self.transform_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.output_bias = nn.Parameter(torch.zeros(config["vocab_size"]))
        self.dropout = config["hidden_dropout_prob"]

    def initialise(self, generator):
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                with torch.no_grad():
                    module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * 0.02)
                if isinstance(module, nn.Linear):
                    nn.init.zeros_(module.bias)
        # Sinusoidal positions (scaled to the other embeddings' spread): a standard BERT whose
        # positions start out distinguishable, which speeds up leaving the unigram plateau.
        positions, hidden = self.position.weight.shape
        pos = torch.arange(positions, dtype=torch.float32)[:, None]
        rate = torch.exp(torch.arange(0, hidden, 2, dtype=torch.float32) * (-math.log(10000.0) / hidden))
        table = torch.zeros(positions, hidden)
        table[:, 0::2] = torch.sin(pos * rate)
        table[:, 1::2] = torch.cos(pos * rate)
        with torch.no_grad():
            self.position.weight.copy_(table * (0.02 / table.std()))

    def encode(self, ids, want_attention=False):
        n = ids.shape[1]
        x = self.word(ids) + self.position.weight[:n][None] + self.token_type.weight[0]
        x = F.dropout(self.embedding_norm(x), self.dropout, self.training)
        pad = ids == SPECIAL["pad"]
        additive = torch.zeros(ids.shape, dtype=x.dtype, device=ids.device).masked_fill(pad, -1e4)
        additive = additive[:, None, None, :]
        attentions = []
        for layer in self.layers:
            x, attention = layer(x, additive, want_attention)
            attentions.append(attention)
        return x, attentions

    def mlm_logits(self, states):
        h = self.transform_norm(F.gelu(self.transform(states)))
        return h @ self.word.weight.t() + self.output_bias

    def loss(self, inputs, labels):
        states, _ = self.encode(inputs)
        chosen = labels != -100
        logits = self.mlm_logits(states[chosen])
        return F.cross_entropy(logits.float(), labels[chosen]), logits, labels[chosen]

    def hf_parameters(self):
        """Parameters under Hugging Face BertForMaskedLM names (linear weights are [out, in]
        in both); the output projection is tied to the word embeddings, so not listed."""
        named = {
            "bert.embeddings.word_embeddings.weight": self.word.weight,
            "bert.embeddings.position_embeddings.weight": self.position.weight,
            "bert.embeddings.token_type_embeddings.weight": self.token_type.weight,
            "bert.embeddings.LayerNorm.weight": self.embedding_norm.weight,
            "bert.embeddings.LayerNorm.bias": self.embedding_norm.bias,
            "cls.predictions.transform.dense.weight": self.transform.weight,
            "cls.predictions.transform.dense.bias": self.transform.bias,
            "cls.predictions.transform.LayerNorm.weight": self.transform_norm.weight,
            "cls.predictions.transform.LayerNorm.bias": self.transform_norm.bias,
            "cls.predictions.bias": self.output_bias,
        }
        for i, layer in enumerate(self.layers):
            p = f"bert.encoder.layer.{i}."
            for name, module in [
                ("attention.self.query", layer.query),
                ("attention.self.key", layer.key),
                ("attention.self.value", layer.value),
                ("attention.output.dense", layer.attention_output),
                ("attention.output.LayerNorm", layer.attention_norm),
                ("intermediate.dense", layer.intermediate),
                ("output.dense", layer.output),
                ("output.LayerNorm", layer.output_norm),
            ]:
                named[p + name + ".weight"] = module.weight
                named[p + name + ".bias"] = module.bias
        return named

    def hf_state(self):
        return {k: v.detach().float().cpu().contiguous() for k, v in self.hf_parameters().items()}

    @torch.no_grad()
    def load_hf_state(self, state):
        for name, parameter in self.hf_parameters().items():
            parameter.copy_(state[name].to(parameter.device, parameter.dtype))


# ----------------------------------------------------------------------------- io


def write_safetensors(path, tensors, dtype):
    """safetensors layout: u64 header length, JSON header, raw little-endian data."""
    codes = {torch.float16: "F16", torch.float32: "F32"}
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].to(dtype).numpy().astype("<f2" if dtype == torch.float16 else "<f4").tobytes()
        header[name] = {"dtype": codes[dtype], "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


# ----------------------------------------------------------------------------- evaluation


@torch.no_grad()
def evaluate(model, sequences, args, device):
    """Dev MLM loss (nats per masked sub-word) and masked-token accuracy, with a fixed mask."""
    model.eval()
    generator = torch.Generator(device=device)
    generator.manual_seed(12345)
    total_loss, total_correct, total = 0.0, 0, 0
    for start in range(0, len(sequences), args.batch):
        batch = sequences[start : start + args.batch].to(device)
        inputs, labels = mask_tokens(batch, args.mask_rate, model.config["vocab_size"], generator)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            loss, logits, gold = model.loss(inputs, labels)
        count = int(gold.numel())
        total_loss += float(loss) * count
        total_correct += int((logits.argmax(-1) == gold).sum())
        total += count
    model.train()
    return {"loss": total_loss / max(total, 1), "accuracy": total_correct / max(total, 1), "masked": total}


@torch.no_grad()
def dep_attention_probe(model, probe_file, device, limit=None):
    """Best-head DEP attention probe on word-pooled attention (query: mean over its sub-words,
    key: sum), ROOT = [CLS]; an arc (d, g) is found when argmax(d) = g or, when g is a word,
    argmax(g) = d: an arc to ROOT only when d points at [CLS] (the ROOT rule of stem probe's
    relationFound; the [CLS] row is where [CLS] attends, which a positional baseline has no
    counterpart of). The adjacent baseline (previous / next word, which find the same arcs under
    that rule) never points at [CLS]."""
    model.eval()
    sentences = [json.loads(line) for line in open(probe_file)]
    longest = model.config["max_position_embeddings"]
    skipped = sum(len(s["ids"]) > longest for s in sentences)
    sentences = [s for s in sentences if len(s["ids"]) <= longest][:limit]
    layers, heads = model.config["num_hidden_layers"], model.config["num_attention_heads"]
    found = np.zeros((layers, heads))
    arcs = 0
    adjacent = 0
    for s in sentences:
        ids = torch.tensor([s["ids"]], device=device)
        _, attentions = model.encode(ids, want_attention=True)
        n = len(s["spans"])
        # Word index 0 is ROOT ([CLS]); words 1..n.
        groups = [[0]] + [list(range(a, b + 1)) for a, b in s["spans"]]
        pool = torch.zeros(n + 1, ids.shape[1], device=device)
        for w, group in enumerate(groups):
            pool[w, group] = 1.0
        query_pool = pool / pool.sum(1, keepdim=True)
        heads_of = s["heads"]
        for l, attention in enumerate(attentions):
            a = attention[0].float()  # [heads, sub, sub]
            words = query_pool @ a @ pool.t()  # [heads, n+1, n+1]
            pi = words.argmax(-1).cpu().numpy()  # [heads, n+1]
            for d in range(1, n + 1):
                g = heads_of[d - 1]
                hit = pi[:, d] == g
                if g != 0:
                    hit = hit | (pi[:, g] == d)
                found[l] += hit
        for d in range(1, n + 1):
            g = heads_of[d - 1]
            adjacent += g != 0 and abs(d - g) == 1
        arcs += n
    model.train()
    accuracy = found / max(arcs, 1)
    best = np.unravel_index(accuracy.argmax(), accuracy.shape)
    return {
        "arcs": arcs,
        "per_head": accuracy.round(4).tolist(),
        "best_head": [int(best[0]), int(best[1])],
        "best_accuracy": float(accuracy.max()),
        "adjacent_baseline": adjacent / max(arcs, 1),
        "skipped_long_sentences": skipped,
    }


# ----------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--probe", help="ewt-test.jsonl from export-probe-sentences.mjs")
    parser.add_argument("--probe-limit", type=int, help="sentences (for a smoke test)")
    parser.add_argument("--minutes", type=float, default=6.0, help="training time budget")
    parser.add_argument("--steps", type=int, help="fixed number of updates (overrides --minutes)")
    parser.add_argument("--length", type=int, default=128)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--warmup", type=float, default=0.06)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--mask-rate", type=float, default=0.15)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--init", help="model.safetensors to continue from (a new schedule starts)")
    parser.add_argument("--limit-train", type=int, help="sequences (for a smoke test)")
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(args.seed)
    config = json.load(open(args.config))
    os.makedirs(args.out, exist_ok=True)

    train_ids, train_sent, train_doc = load_split(args.tokens, "train")
    train = pack(train_ids, train_sent, train_doc, args.length)
    dev = pack(*load_split(args.tokens, "dev"), args.length)
    if args.limit_train:
        train = train[: args.limit_train]
    entropy = unigram_entropy(train_ids, config["vocab_size"])
    log(f"device {device}; train {tuple(train.shape)}, dev {tuple(dev.shape)}; unigram entropy {entropy:.3f} nats")

    generator = torch.Generator()
    generator.manual_seed(args.seed)
    model = BertMlm(config)
    model.initialise(generator)
    if args.init:
        model.load_hf_state(load_safetensors_f16(args.init))
    model.to(device)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr,
        betas=(0.9, 0.98),
        eps=1e-6,
    )
    mask_generator = torch.Generator(device=device)
    mask_generator.manual_seed(args.seed + 1)
    order_generator = torch.Generator()
    order_generator.manual_seed(args.seed + 2)
    train_device = train.to(device)

    logf = open(os.path.join(args.out, "log.jsonl"), "w")
    total_steps = args.steps
    step, epoch, started = 0, 0, time.time()
    best = None
    tokens_seen = 0
    order = torch.randperm(len(train), generator=order_generator)
    cursor = 0

    def lr_at(s):
        if total_steps is None:
            return args.lr * min(1.0, (s + 1) / 300)
        warm = max(1, int(args.warmup * total_steps))
        if s < warm:
            return args.lr * (s + 1) / warm
        return args.lr * max(0.0, (total_steps - s) / max(1, total_steps - warm))

    while total_steps is None or step < total_steps:
        if cursor + args.batch > len(order):
            order = torch.randperm(len(train), generator=order_generator)
            cursor = 0
            epoch += 1
        batch = train_device[order[cursor : cursor + args.batch].to(device)]
        cursor += args.batch
        inputs, labels = mask_tokens(batch, args.mask_rate, config["vocab_size"], mask_generator)
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            loss, _, _ = model.loss(inputs, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        tokens_seen += int((batch != SPECIAL["pad"]).sum())
        if total_steps is None and step == 60:
            # Fix the schedule from the measured speed so the run fits its time budget.
            rate = step / (time.time() - started)
            total_steps = max(step + 1, int(rate * args.minutes * 60 * 0.93))
            log(f"{rate:.1f} updates/s: {total_steps} updates in {args.minutes} min")
        if step % 50 == 0:
            record = {"step": step, "epoch": epoch, "loss": float(loss), "norm": float(norm), "lr": lr_at(step), "tokens": tokens_seen, "seconds": round(time.time() - started, 1)}
            logf.write(json.dumps(record) + "\n")
            logf.flush()
        if step % args.eval_every == 0 or step == total_steps:
            scores = evaluate(model, dev, args, device)
            record = {"step": step, "dev_loss": scores["loss"], "dev_accuracy": scores["accuracy"], "tokens": tokens_seen, "seconds": round(time.time() - started, 1)}
            logf.write(json.dumps(record) + "\n")
            logf.flush()
            log(f"step {step}/{total_steps} train {float(loss):.3f} dev {scores['loss']:.3f} acc {scores['accuracy']:.3f} ({time.time() - started:.0f}s)")
            if best is None or scores["loss"] < best["dev_loss"]:
                best = {"step": step, "dev_loss": scores["loss"], "dev_accuracy": scores["accuracy"], "tokens": tokens_seen}
                write_safetensors(os.path.join(args.out, "model.safetensors"), model.hf_state(), torch.float16)

    elapsed = time.time() - started
    summary = {
        "device": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
        "torch": torch.__version__,
        "updates": step,
        "epochs": epoch,
        "tokens_seen": tokens_seen,
        "train_seconds": round(elapsed, 1),
        "unigram_entropy": entropy,
        "best": best,
        "args": vars(args),
        "train_sequences": int(len(train)),
        "dev_sequences": int(len(dev)),
    }
    if args.probe:
        # Probe the weights that ship (the best dev checkpoint).
        state = load_safetensors_f16(os.path.join(args.out, "model.safetensors"))
        model.load_hf_state(state)
        summary["probe"] = dep_attention_probe(model, args.probe, device, args.probe_limit)
        log(f"probe: best head {summary['probe']['best_head']} {summary['probe']['best_accuracy']:.3f} vs adjacent {summary['probe']['adjacent_baseline']:.3f}")
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    log(json.dumps({k: v for k, v in summary.items() if k != "probe"}))


def load_safetensors_f16(path):
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        a, b = entry["data_offsets"]
        array = np.frombuffer(data[a:b], dtype="<f2" if entry["dtype"] == "F16" else "<f4")
        out[name] = torch.from_numpy(array.astype(np.float32).reshape(entry["shape"]))
    return out


if __name__ == "__main__":
    main()
