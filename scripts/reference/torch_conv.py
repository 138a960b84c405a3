#!/usr/bin/env python3
"""Reference outputs and gradients of torch's conv2d, max_pool2d, avg_pool2d and batch_norm
for Descent's TorchConvReferenceTest.

How to run (from the repository root; needs only Python 3 and PyTorch, no network):

    /usr/bin/python3 scripts/reference/torch_conv.py

Generated with torch 1.13.1 (Debian bookworm's python3-torch), CPU, float64; the version is
written into the JSON file. It rewrites
descent-core/src/test/resources/dev/descent/tensor/torch_conv.json: a list of cases, each
with its operation and settings, the inputs (x, weight, bias), a fixed output gradient g,
torch's output y = op(x, ...) and the gradients of sum(y * g) with respect to every input.
Tensors are written as {"shape": [...], "data": [... row-major ...]} with Python's repr of
each double, which round-trips exactly. Inputs are drawn from a seeded generator.
The Java test (descent-core/src/test/java/dev/descent/tensor/TorchConvReferenceTest.java)
replays every case with Descent and needs no Python.
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "descent-core", "src", "test", "resources",
                   "dev", "descent", "tensor", "torch_conv.json")


def tensor(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def run(name, op, settings, inputs, f):
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    y = f(**leaves)
    g = torch.randn(y.shape, generator=GEN)
    (y * g).sum().backward()
    case = {"name": name, "op": op, "settings": settings,
            "inputs": {k: tensor(v) for k, v in inputs.items()},
            "g": tensor(g), "y": tensor(y),
            "grads": {k: tensor(v.grad) for k, v in leaves.items()}}
    return case


def randn(*shape):
    return torch.randn(shape, generator=GEN)


GEN = torch.Generator().manual_seed(20240607)
cases = []


def conv(name, n, c, h, w, o, k, stride=1, padding=0, dilation=1, groups=1, bias=True):
    inputs = {"x": randn(n, c, h, w), "weight": randn(o, c // groups, k, k)}
    if bias:
        inputs["bias"] = randn(o)
    settings = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    cases.append(run(name, "conv2d", settings, inputs,
                     lambda x, weight, bias=None: F.conv2d(x, weight, bias, stride=stride, padding=padding,
                                                           dilation=dilation, groups=groups)))


conv("conv basic", 2, 3, 5, 6, 4, 3)
conv("conv stride 2 padding 1", 2, 2, 7, 7, 3, 3, stride=2, padding=1)
conv("conv dilation 2 padding 2", 1, 2, 8, 8, 2, 3, padding=2, dilation=2)
conv("conv groups 2 no bias", 2, 4, 5, 5, 6, 3, padding=1, groups=2, bias=False)
conv("conv 1x1", 2, 3, 4, 4, 5, 1)
conv("conv same odd kernel", 1, 2, 6, 5, 3, 3, padding="same")
conv("conv same even kernel", 1, 2, 6, 6, 2, 4, padding="same")
conv("conv same dilated", 1, 1, 7, 7, 2, 3, padding="same", dilation=2)
conv("conv stride 3 kernel 5", 1, 2, 11, 9, 2, 5, stride=3, padding=1)


def pool(name, op, n, c, h, w, k, stride, padding=0, dilation=1):
    settings = {"kernel": k, "stride": stride, "padding": padding, "dilation": dilation}
    if op == "max_pool2d":
        f = lambda x: F.max_pool2d(x, k, stride, padding, dilation)
    else:
        f = lambda x: F.avg_pool2d(x, k, stride, padding)  # count_include_pad=True, torch's default
    cases.append(run(name, op, settings, {"x": randn(n, c, h, w)}, f))


pool("max 2x2", "max_pool2d", 2, 3, 6, 6, 2, 2)
pool("max 3x3 stride 2 padding 1", "max_pool2d", 1, 2, 7, 7, 3, 2, padding=1)
pool("max 2x2 stride 1 dilation 2", "max_pool2d", 1, 2, 6, 6, 2, 1, dilation=2)
pool("max odd size", "max_pool2d", 1, 1, 5, 7, 2, 2)
pool("avg 2x2", "avg_pool2d", 2, 3, 6, 6, 2, 2)
pool("avg 3x3 stride 2 padding 1", "avg_pool2d", 1, 2, 7, 7, 3, 2, padding=1)


def batch_norm(name, shape, training):
    c = shape[1]
    mean, var = randn(c), randn(c).abs() + 0.5
    inputs = {"x": randn(*shape) * 2 + 1, "weight": randn(c), "bias": randn(c)}
    running = {"mean": mean.clone(), "var": var.clone()}
    settings = {"training": training, "eps": 1e-5, "momentum": 0.1,
                "running_mean": mean.tolist(), "running_var": var.tolist()}

    def f(x, weight, bias):
        return F.batch_norm(x, running["mean"], running["var"], weight, bias, training=training,
                            momentum=0.1, eps=1e-5)

    case = run(name, "batch_norm", settings, inputs, f)
    case["running_mean_after"] = running["mean"].tolist()
    case["running_var_after"] = running["var"].tolist()
    cases.append(case)


batch_norm("batch norm 2d training", (3, 2, 3, 4), True)
batch_norm("batch norm 1d training", (5, 3), True)
batch_norm("batch norm 2d evaluation", (2, 3, 2, 2), False)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as out:
    json.dump({"torch": torch.__version__, "cases": cases}, out, indent=None)
    out.write("\n")
print("wrote", len(cases), "cases to", os.path.normpath(OUT))
