#!/usr/bin/env python3
"""Reference outputs and gradients of torch's nn.RNN, nn.LSTM, nn.GRU and nn.Embedding, and of a
small character model (embedding -> LSTM -> linear at every step, cross-entropy over every step),
for Descent's TorchRecurrentReferenceTest.

How to run (from the repository root; needs only Python 3 and PyTorch, no network):

    /usr/bin/python3 scripts/reference/torch_rnn.py

Generated with torch 1.13 (Debian bookworm's python3-torch), CPU, float64; the version is written
into the JSON file. It rewrites two files under descent-core/src/test/resources/dev/descent/nn/:

- torch_rnn.json: a list of cases, each with its module and settings, the module's state_dict
  (PyTorch's names, e.g. weight_ih_l0, bias_hh_l1_reverse), the input x (token ids for the
  embedding and the model), the initial states when given, a fixed output gradient g, torch's
  output y and the gradients of sum(y * g) with respect to x and every parameter. For the model
  case, y is the mean cross-entropy over every step and the gradients are those of y itself.
  Recurrent cases with seq=false take the final state, torch.cat(list(h_n[-dirs:]), dim=1).
- torch_rnn_model.safetensors: the model case's state_dict (float64), written in the safetensors
  layout by hand (the safetensors package is not installed here), for the test that loads a
  PyTorch state dict into a Descent model by name.

Tensors are written as {"shape": [...], "data": [... row-major ...]} with Python's repr of each
double, which round-trips exactly. Inputs and weights come from a seeded generator.
"""

import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.join(os.path.dirname(__file__), "..", "..", "descent-core", "src", "test", "resources",
                    "dev", "descent", "nn")
GEN = torch.Generator().manual_seed(20240615)


def tensor(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def randn(*shape):
    return torch.randn(shape, generator=GEN)


def reinit(module):
    """Every parameter redrawn from U(-1/sqrt(H), 1/sqrt(H)) (embedding: N(0, 1)) with the seeded generator."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if isinstance(module, nn.Embedding) or name.endswith("embedding.weight"):
                p.copy_(randn(*p.shape))
            else:
                bound = 1 / (getattr(module, "hidden_size", None) or p.shape[-1]) ** 0.5
                p.copy_((torch.rand(p.shape, generator=GEN) * 2 - 1) * bound)


def recurrent(name, cell, batch, steps, features, hidden, layers=1, bidirectional=False, sequences=True,
              initial=False):
    kind = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
    module = kind(features, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    reinit(module)
    dirs = 2 if bidirectional else 1
    x = randn(batch, steps, features).requires_grad_(True)
    states = {}
    if initial:
        states["h0"] = randn(layers * dirs, batch, hidden)
        if cell == "lstm":
            states["c0"] = randn(layers * dirs, batch, hidden)
    if not initial:
        out, hn = module(x)
    elif cell == "lstm":
        out, hn = module(x, (states["h0"], states["c0"]))
    else:
        out, hn = module(x, states["h0"])
    if cell == "lstm":
        hn = hn[0]
    y = out if sequences else torch.cat(list(hn[-dirs:]), dim=1)
    g = randn(*y.shape)
    (y * g).sum().backward()
    grads = {"x": tensor(x.grad)}
    grads.update({k: tensor(p.grad) for k, p in module.named_parameters()})
    return {"name": name, "module": cell,
            "settings": {"hidden": hidden, "layers": layers, "bidirectional": bidirectional, "seq": sequences},
            "state_dict": {k: tensor(v) for k, v in module.state_dict().items()},
            "x": tensor(x), "states": {k: tensor(v) for k, v in states.items()},
            "g": tensor(g), "y": tensor(y), "grads": grads}


def embedding(name, vocab, dim, batch, steps):
    module = nn.Embedding(vocab, dim)
    reinit(module)
    ids = torch.randint(0, vocab, (batch, steps), generator=GEN)
    y = module(ids)
    g = randn(*y.shape)
    (y * g).sum().backward()
    return {"name": name, "module": "embedding", "settings": {"vocab": vocab, "dim": dim},
            "state_dict": {k: tensor(v) for k, v in module.state_dict().items()},
            "x": tensor(ids.double()), "states": {}, "g": tensor(g), "y": tensor(y),
            "grads": {"weight": tensor(module.weight.grad)}}


class CharModel(nn.Module):
    def __init__(self, vocab, dim, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, ids):
        return self.fc(self.lstm(self.embedding(ids))[0])


def model(name, vocab, dim, hidden, batch, steps):
    net = CharModel(vocab, dim, hidden)
    reinit(net)
    ids = torch.randint(0, vocab, (batch, steps), generator=GEN)
    targets = torch.randint(0, vocab, (batch, steps), generator=GEN)
    logits = net(ids)
    loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))
    loss.backward()
    case = {"name": name, "module": "model", "settings": {"vocab": vocab, "dim": dim, "hidden": hidden},
            "state_dict": {k: tensor(v) for k, v in net.state_dict().items()},
            "x": tensor(ids.double()), "targets": tensor(targets.double()), "states": {},
            "logits": tensor(logits), "y": tensor(loss.reshape(1)),
            "grads": {k: tensor(p.grad) for k, p in net.named_parameters()}}
    return case, net.state_dict()


def write_safetensors(path, tensors):
    """The safetensors layout: u64 little-endian header length, JSON header, then the raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for k, v in tensors.items():
        data = v.detach().contiguous().numpy().astype("<f8").tobytes()
        header[k] = {"dtype": "F64", "shape": list(v.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for b in blobs:
            out.write(b)


cases = [
    recurrent("rnn sequence", "rnn", 3, 5, 4, 6),
    recurrent("rnn 2 layers final state", "rnn", 2, 4, 3, 5, layers=2, sequences=False),
    recurrent("lstm sequence", "lstm", 3, 5, 4, 6),
    recurrent("lstm 2 layers bidirectional sequence", "lstm", 2, 4, 3, 5, layers=2, bidirectional=True),
    recurrent("lstm bidirectional final state", "lstm", 3, 4, 3, 9, bidirectional=True, sequences=False),
    recurrent("lstm from given states", "lstm", 2, 3, 4, 5, initial=True),
    recurrent("gru sequence", "gru", 3, 5, 4, 6),
    recurrent("gru 2 layers bidirectional final state", "gru", 2, 4, 3, 5, layers=2, bidirectional=True,
              sequences=False),
    recurrent("gru from a given state", "gru", 2, 3, 4, 10, initial=True),
    embedding("embedding", 7, 3, 2, 5),
]
char_case, char_state = model("character model", 7, 4, 5, 3, 6)
cases.append(char_case)

os.makedirs(HERE, exist_ok=True)
with open(os.path.join(HERE, "torch_rnn.json"), "w") as out:
    json.dump({"torch": torch.__version__, "cases": cases}, out, indent=None)
    out.write("\n")
write_safetensors(os.path.join(HERE, "torch_rnn_model.safetensors"), char_state)
print("wrote", len(cases), "cases and the character model's state_dict to", os.path.normpath(HERE))
