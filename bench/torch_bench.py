#!/usr/bin/env python3
"""PyTorch and NumPy side of bench/compare-pytorch.sh: the five `descent bench` configurations,
and with --matmul the GFLOP/s of NumPy's float32 matrix product (OpenBLAS when it is the system BLAS).

Configurations 1 to 4: MNIST-shaped random data (inputs [N,1,28,28] in [0,1), labels 0..9; 4 reads
the images row by row: LSTM(128) over 28 steps of 28, the last step's output -> linear 10), Adam
(lr 1e-3). Configuration 5: random windows of 100 character ids of a 63-character vocabulary with
next-character targets, embedding 64 -> LSTM(256) -> linear 63 at every step, Adam (lr 2e-3) after
clip_grad_norm_(1.0). All: softmax cross-entropy, one warm-up epoch, then the median samples/s of
the timed epochs (configuration 5 adds chars_per_sec). Prints one JSON line per configuration,
like `descent bench --json`. With --latency: p50 and p99 of one example's prediction under
torch.inference_mode(), like `descent bench --latency`.
Run with Debian's python3-torch:  /usr/bin/python3 bench/torch_bench.py --threads 2
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn

CONFIGS = {
    1: ("mlp-784-128-10", 64, 64 * 400),
    2: ("mlp-784-1024-1024-10", 256, 256 * 40),
    3: ("cnn", 128, 128 * 40),
    4: ("lstm-128-mnist-rows", 128, 128 * 40),
    5: ("char-lstm-256", 64, 64 * 10),
}
STEPS, VOCABULARY = 100, 63


class RowLstm(nn.Module):
    """Configuration 4: the rows of an image as 28 steps of 28 features, LSTM(128), last step -> 10."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc(self.lstm(x.reshape(x.shape[0], 28, 28))[0][:, -1])


class CharLstm(nn.Module):
    """Configuration 5: embedding 64 -> LSTM(256) -> linear over the vocabulary at every step."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCABULARY, 64)
        self.lstm = nn.LSTM(64, 256, batch_first=True)
        self.fc = nn.Linear(256, VOCABULARY)

    def forward(self, ids):
        return self.fc(self.lstm(self.embedding(ids))[0])


def model(config):
    if config == 4:
        return RowLstm()
    if config == 5:
        return CharLstm()
    if config == 1:
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if config == 2:
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                             nn.Linear(1024, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(128, 10))


def run(config, threads, epochs, samples_override):
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    name, batch, samples = CONFIGS[config]
    if samples_override:
        samples = samples_override
    characters = config == 5
    if characters:
        ids = torch.randint(0, VOCABULARY, (samples * STEPS + 1,))
        x, y = ids[:-1].reshape(samples, STEPS), ids[1:].reshape(samples, STEPS)
    else:
        x = torch.rand(samples, 1, 28, 28)
        y = torch.randint(0, 10, (samples,))
    net = model(config)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3 if characters else 1e-3)
    loss_fn = nn.CrossEntropyLoss()
    rates = []
    for epoch in range(epochs + 1):
        perm = torch.randperm(samples)
        start = time.perf_counter()
        for i in range(0, samples, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            out = net(x[idx])
            loss = loss_fn(out.reshape(-1, VOCABULARY), y[idx].reshape(-1)) if characters else loss_fn(out, y[idx])
            loss.backward()
            if characters:
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
        seconds = time.perf_counter() - start
        if epoch > 0:
            rates.append(samples / seconds)
    result = {"config": config, "name": name, "batch": batch, "threads": threads,
              "samples_per_sec": round(statistics.median(rates), 1), "engine": "pytorch " + torch.__version__}
    if characters:
        result["chars_per_sec"] = round(statistics.median(rates) * STEPS)
    return result


def latency(config, threads, seconds):
    """p50 and p99 microseconds of one example's prediction (softmax of the logits) under
    torch.inference_mode(), eval mode, timed for `seconds` after as many of warm-up, as
    `descent bench --latency`."""
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    net = model(config).eval()
    one = torch.rand(1, 1, 28, 28)
    micros = []
    with torch.inference_mode():
        for timed in (False, True):
            end = time.perf_counter() + seconds
            now = time.perf_counter()
            while now < end:
                net(one).softmax(-1)
                after = time.perf_counter()
                if timed:
                    micros.append((after - now) * 1e6)
                now = after
    micros.sort()

    def percentile(q):
        return micros[max(0, math.ceil(q * len(micros)) - 1)]

    return {"config": config, "name": CONFIGS[config][0], "threads": threads, "p50_us": round(percentile(0.50), 1),
            "p99_us": round(percentile(0.99), 1), "predictions": len(micros), "engine": "pytorch " + torch.__version__}


def matmul(shape, seconds=1.0):
    """Median GFLOP/s of NumPy's product for a shape MxKxN[:TN|NT|NN], as `descent bench --matmul`."""
    import numpy as np
    dims, _, trans = shape.partition(":")
    m, k, n = (int(d) for d in dims.split("x"))
    trans = trans or "NN"
    rng = np.random.default_rng(1)
    a = rng.random((k, m) if trans[0] == "T" else (m, k), dtype=np.float32)
    b = rng.random((n, k) if trans[1] == "T" else (k, n), dtype=np.float32)
    op_a = a.T if trans[0] == "T" else a
    op_b = b.T if trans[1] == "T" else b
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(op_a, op_b, out=c)
    rates = []
    for _ in range(5):
        reps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5:
            np.matmul(op_a, op_b, out=c)
            reps += 1
        rates.append(2.0 * m * k * n * reps / (time.perf_counter() - start) / 1e9)
    return {"shape": shape, "gflops": round(statistics.median(rates), 2), "engine": "numpy " + np.__version__}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", type=int, action="append", help="1 to 5 (default: all)")
    p.add_argument("--threads", type=int, action="append", help="thread counts to try (default: 1 and 2); the best is kept")
    p.add_argument("--epochs", type=int, default=3, help="timed epochs after the warm-up (default 3)")
    p.add_argument("--samples", type=int, default=0, help="examples per epoch (default: per configuration)")
    p.add_argument("--all", action="store_true", help="print every thread setting, not only the best")
    p.add_argument("--matmul", help="comma-separated shapes MxKxN[:TN]: print NumPy GFLOP/s instead")
    p.add_argument("--latency", action="store_true",
                   help="print p50/p99 microseconds of one example's prediction instead (configurations 1-3; default 1, 3)")
    p.add_argument("--seconds", type=float, default=3.0, help="with --latency: timed seconds after as many of warm-up")
    a = p.parse_args()
    if a.latency:
        for config in a.config or [1, 3]:
            results = [latency(config, t, a.seconds) for t in (a.threads or [1, 2])]
            for r in (results if a.all else [min(results, key=lambda r: r["p50_us"])]):
                print(json.dumps(r), flush=True)
        return
    if a.matmul:
        for shape in a.matmul.split(","):
            print(json.dumps(matmul(shape)), flush=True)
        return
    for config in a.config or [1, 2, 3, 4, 5]:
        results = [run(config, t, a.epochs, a.samples) for t in (a.threads or [1, 2])]
        for r in (results if a.all else [max(results, key=lambda r: r["samples_per_sec"])]):
            print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
