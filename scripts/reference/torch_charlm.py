#!/usr/bin/env python3
"""The PyTorch reference of Descent's character language model (`descent train FILE.txt`).

How to run (from the repository root; needs only Python 3 and PyTorch, no network):

    nice -n 5 /usr/bin/python3 scripts/reference/torch_charlm.py [--steps 2000] [--every 500] [FILE]

FILE defaults to $DESCENT_DATA/text/kjv.txt. The setup is that of the data set's README and of
Descent's defaults for text:

- the text split contiguously, the first floor(0.9 n) characters training, the rest validating;
  the vocabulary is the sorted distinct characters of the training part (validation characters
  outside it are left out);
- non-overlapping windows of 100 characters: window i has inputs ids[100 i ... 100 i + 99] and
  targets ids[100 i + 1 ... 100 i + 100]; the state is reset for every window;
- embedding(V, 64) -> LSTM(64, 256) -> linear(256, V) at every step; mean cross-entropy over
  every step of the batch;
- batches of 64 windows in a fresh random order each epoch, Adam (lr 2e-3, PyTorch's defaults
  otherwise), gradient-norm clipping at 1.0, seed 0, float32.

Every --every optimizer steps (and after the last) it prints the validation loss over every
validation window and the bits per character, val_loss / ln 2, and the training speed in
characters per second.
"""

import argparse
import math
import os
import time

import torch
import torch.nn as nn


class CharModel(nn.Module):
    def __init__(self, vocabulary, embedding=64, hidden=256):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, vocabulary)

    def forward(self, ids):
        out, _ = self.lstm(self.embedding(ids))
        return self.fc(out)


def windows(ids, steps):
    n = (len(ids) - 1) // steps
    x = ids[:n * steps].view(n, steps)
    y = ids[1:n * steps + 1].view(n, steps)
    return x, y


def validate(model, x, y, chunk=100):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i in range(0, len(x), chunk):
            logits = model(x[i:i + chunk])
            total += nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y[i:i + chunk].reshape(-1),
                                                 reduction="sum").item()
    model.train()
    return total / y.numel()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default=os.path.join(os.environ.get("DESCENT_DATA", "."), "text", "kjv.txt"))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--seq-len", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    cut = int(math.floor(len(text) * 0.9))
    chars = sorted(set(text[:cut]))
    index = {c: i for i, c in enumerate(chars)}
    train_ids = torch.tensor([index[c] for c in text[:cut]], dtype=torch.long)
    val_ids = torch.tensor([index[c] for c in text[cut:] if c in index], dtype=torch.long)
    train_x, train_y = windows(train_ids, args.seq_len)
    val_x, val_y = windows(val_ids, args.seq_len)
    print(f"{args.file}: {len(text):,} characters, vocabulary {len(chars)}, {len(train_x):,} training and "
          f"{len(val_x):,} validation windows of {args.seq_len}; torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads", flush=True)

    model = CharModel(len(chars))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    step, trained_seconds = 0, 0.0
    while step < args.steps:
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), args.batch_size):
            batch = order[i:i + args.batch_size]
            start = time.perf_counter()
            logits = model(train_x[batch])
            loss = loss_fn(logits.reshape(-1, len(chars)), train_y[batch].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            trained_seconds += time.perf_counter() - start
            step += 1
            if step % args.every == 0 or step == args.steps:
                val_loss = validate(model, val_x, val_y)
                speed = step * args.batch_size * args.seq_len / trained_seconds
                print(f"step {step}  train_loss {loss.item():.4f}  val_loss {val_loss:.4f}  "
                      f"val_bpc {val_loss / math.log(2):.4f}  {speed:,.0f} characters/s", flush=True)
            if step == args.steps:
                break


if __name__ == "__main__":
    main()
