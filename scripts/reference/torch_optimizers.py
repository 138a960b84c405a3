#!/usr/bin/env python3
"""Reference trajectories of torch.optim optimizers for Descent's OptimizerTableTest (via TorchReference).

How to run (from the repository root; needs only Python 3 and PyTorch, no network):

    apt-get install -y python3-torch          # Debian 12 (bookworm): torch 1.13.1
    /usr/bin/python3 scripts/reference/torch_optimizers.py   # the system Python that has torch

Generated with: torch 1.13.1 (Debian bookworm package python3-torch 1.13.1+dfsg-4, whose
torch.__version__ reads "1.13.0a0"),
Python 3.11, CPU, float64. The torch version is also written into every JSON file.

It rewrites descent-core/src/test/resources/dev/descent/optim/torch/<config>_<problem>.json:
for every configuration below and two problems it runs 100 `step()`s of a torch.optim
optimizer in float64 and records all parameters after every step (doubles written with
Python's repr, which round-trips exactly). The Java test
(descent-core/src/test/java/dev/descent/optim/TorchReference.java) replays the same
problems with Descent's optimizers and needs no Python.

Problems
  rosenbrock  f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 from (-1.2, 1); one parameter "xy" [2].
  mlp         4-3-2 MLP, nn.Sequential(Linear(4,3), Tanh(), Linear(3,2)), fixed weights and a
              fixed batch of 6 samples (both literal below, also written to the JSON), loss =
              mean softmax cross-entropy (F.cross_entropy). Parameters "0.weight" [3,4],
              "0.bias" [3], "2.weight" [2,3], "2.bias" [2] (torch and Descent use the same
              names and the same [out, in] weight layout).

Each configuration pairs a torch optimizer with the optax rule of the same name
(/work/shared/optimizers.md section 9), choosing settings under which both are equal where
they differ by design:
  * SGD: dampening=0 (torch's Nesterov form g + mu*buf is optax's).
  * RMSprop: eps outside the root (Descent eps_in_sqrt=0), decay = alpha, no bias correction.
  * Adagrad: eps=0 in both (torch adds eps outside the root, optax inside), equal initial
    accumulator 0.1 (torch default 0), lr_decay=0.
  * RAdam: eps=0 in both (torch adds eps to the uncorrected root; its threshold rho_t > 5 vs
    optax >= 5 never meets rho_t == 5 exactly).
  * AdamW: same weight decay (decoupled, times lr, in both).
  * Adam(amsgrad=True): torch keeps the max of the *uncorrected* second moment, optax of the
    corrected one; equal only with b2 = 0 (then both corrections are 1). The default
    b2 = 0.999 run is kept with "equal": false.
  * NAdam: torch uses a momentum schedule mu_t = b1 (1 - 0.5 * 0.96^(t psi)); psi = 1e9
    makes mu_t = b1 exactly (0.96^(1e9 t) underflows to 0), but torch 1.13 multiplies the
    product for the look-ahead term by mu_t twice (fixed in torch 2.x), so it uses
    b1/(1 - b1^(t+2)) where optax uses b1/(1 - b1^(t+1)): "equal": false. With b1 = 0 both
    reduce to the same rule: "equal": true (a degenerate but exact check of the rest).
Torch's `weight_decay` (all but AdamW) is coupled L2, g + wd*p before the optimizer, which is
Descent's registry-wide `weight_decay` hyperparameter.
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

STEPS = 100
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "descent-core", "src", "test", "resources", "dev", "descent", "optim", "torch")

# ---------------------------------------------------------------- the fixed network and batch
W1 = [[0.5, -0.3, 0.2, 0.1],
      [-0.4, 0.6, -0.1, 0.3],
      [0.2, 0.1, -0.5, -0.2]]
B1 = [0.1, -0.2, 0.05]
W2 = [[0.3, -0.6, 0.4],
      [-0.2, 0.5, 0.7]]
B2 = [0.0, 0.1]
X = [[1.0, 0.5, -0.2, 0.3],
     [-0.7, 1.2, 0.4, -1.0],
     [0.3, -0.8, 1.5, 0.2],
     [2.0, 0.1, -0.3, -0.6],
     [-1.1, -0.4, 0.9, 1.3],
     [0.6, 0.9, -1.2, 0.8]]
LABELS = [0, 1, 1, 0, 1, 0]


def rosenbrock_problem():
    xy = torch.tensor([-1.2, 1.0], requires_grad=True)

    def loss():
        return (1 - xy[0]) ** 2 + 100 * (xy[1] - xy[0] ** 2) ** 2

    return [("xy", xy)], loss, {}


def mlp_problem():
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor(W1))
        net[0].bias.copy_(torch.tensor(B1))
        net[2].weight.copy_(torch.tensor(W2))
        net[2].bias.copy_(torch.tensor(B2))
    x = torch.tensor(X)
    y = torch.tensor(LABELS)

    def loss():
        return F.cross_entropy(net(x), y)

    return list(net.named_parameters()), loss, {"inputs": X, "labels": LABELS, "activation": "tanh",
                                                 "loss": "mean softmax cross-entropy"}


PROBLEMS = {"rosenbrock": rosenbrock_problem, "mlp": mlp_problem}

# ---------------------------------------------------------------- configurations
# name: (torch class, {problem: (torch kwargs, descent optimizer, descent hyperparameters)},
#        equal, note). Descent names follow optax (and Descent's OptimizerRegistry where the
#        optimizer exists today).
E = ""  # no note


def cfg(cls, rosen, mlp, equal=True, note=E):
    return cls, {"rosenbrock": rosen, "mlp": mlp}, equal, note


CONFIGS = {
    "sgd": cfg(torch.optim.SGD,
               (dict(lr=1e-3), "sgd", "lr=1e-3"),
               (dict(lr=0.5), "sgd", "lr=0.5")),
    "sgd_momentum": cfg(torch.optim.SGD,
                        (dict(lr=5e-4, momentum=0.9), "sgd", "lr=5e-4,momentum=0.9"),
                        (dict(lr=0.1, momentum=0.9), "sgd", "lr=0.1,momentum=0.9")),
    "sgd_nesterov": cfg(torch.optim.SGD,
                        (dict(lr=5e-4, momentum=0.9, nesterov=True), "sgd", "lr=5e-4,momentum=0.9,nesterov=1"),
                        (dict(lr=0.1, momentum=0.9, nesterov=True), "sgd", "lr=0.1,momentum=0.9,nesterov=1")),
    "sgd_momentum_l2": cfg(torch.optim.SGD,
                           (dict(lr=5e-4, momentum=0.9, weight_decay=0.1), "sgd",
                            "lr=5e-4,momentum=0.9,weight_decay=0.1"),
                           (dict(lr=0.1, momentum=0.9, weight_decay=0.1), "sgd",
                            "lr=0.1,momentum=0.9,weight_decay=0.1"),
                           note="torch weight_decay is coupled L2 = Descent's registry-wide weight_decay"),
    "rmsprop": cfg(torch.optim.RMSprop,
                   (dict(lr=1e-2, alpha=0.99, eps=1e-8), "rmsprop", "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0"),
                   (dict(lr=1e-2, alpha=0.99, eps=1e-8), "rmsprop", "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0"),
                   note="torch adds eps outside the root: eps_in_sqrt=0; decay = alpha"),
    "rmsprop_momentum": cfg(torch.optim.RMSprop,
                            (dict(lr=1e-3, alpha=0.99, eps=1e-8, momentum=0.9), "rmsprop",
                             "lr=1e-3,decay=0.99,eps=1e-8,eps_in_sqrt=0,momentum=0.9"),
                            (dict(lr=1e-2, alpha=0.99, eps=1e-8, momentum=0.9), "rmsprop",
                             "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0,momentum=0.9"),
                            note="equal for a constant lr only: torch's buffer holds unscaled steps, optax's lr-scaled"),
    "rmsprop_centered": cfg(torch.optim.RMSprop,
                            (dict(lr=1e-2, alpha=0.99, eps=1e-8, centered=True), "rmsprop",
                             "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0,centered=1"),
                            (dict(lr=1e-2, alpha=0.99, eps=1e-8, centered=True), "rmsprop",
                             "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0,centered=1"),
                            note="optax scale_by_stddev with eps outside the root"),
    "adam": cfg(torch.optim.Adam,
                (dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8), "adam", "lr=0.02,b1=0.9,b2=0.999,eps=1e-8"),
                (dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8), "adam", "lr=0.05,b1=0.9,b2=0.999,eps=1e-8")),
    "adam_l2": cfg(torch.optim.Adam,
                   (dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1), "adam",
                    "lr=0.02,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1"),
                   (dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1), "adam",
                    "lr=0.05,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1"),
                   note="torch Adam weight_decay is coupled L2 = chain(add_decayed_weights, adam)"),
    "adamw": cfg(torch.optim.AdamW,
                 (dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1), "adamw",
                  "lr=0.02,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1"),
                 (dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1), "adamw",
                  "lr=0.05,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1"),
                 note="decoupled decay times lr in both (torch default 1e-2, optax 1e-4: set explicitly)"),
    "amsgrad": cfg(torch.optim.Adam,
                   (dict(lr=0.02, betas=(0.9, 0.0), eps=1e-8, amsgrad=True), "amsgrad",
                    "lr=0.02,b1=0.9,b2=0,eps=1e-8"),
                   (dict(lr=0.05, betas=(0.9, 0.0), eps=1e-8, amsgrad=True), "amsgrad",
                    "lr=0.05,b1=0.9,b2=0,eps=1e-8"),
                   note="b2=0 makes torch's max of the uncorrected v equal optax's max of the corrected one"),
    "amsgrad_b2_0999": cfg(torch.optim.Adam,
                           (dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8, amsgrad=True), "amsgrad",
                            "lr=0.02,b1=0.9,b2=0.999,eps=1e-8"),
                           (dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8, amsgrad=True), "amsgrad",
                            "lr=0.05,b1=0.9,b2=0.999,eps=1e-8"),
                           equal=False,
                           note="not equal: torch keeps max(v) of the uncorrected v and divides by sqrt(1-b2^t)"
                                " afterwards; optax keeps max of v/(1-b2^t); no flag setting reproduces torch"),
    "adamax": cfg(torch.optim.Adamax,
                  (dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8), "adamax", "lr=0.02,b1=0.9,b2=0.999,eps=1e-8"),
                  (dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8), "adamax", "lr=0.05,b1=0.9,b2=0.999,eps=1e-8")),
    "nadam": cfg(torch.optim.NAdam,
                 (dict(lr=0.02, betas=(0.9, 0.999), eps=1e-8, momentum_decay=1e9), "nadam",
                  "lr=0.02,b1=0.9,b2=0.999,eps=1e-8"),
                 (dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8, momentum_decay=1e9), "nadam",
                  "lr=0.05,b1=0.9,b2=0.999,eps=1e-8"),
                 equal=False,
                 note="not equal in torch 1.13: momentum_decay=1e9 makes mu_t = b1, but 1.13 uses mu_product*mu_t*"
                      "mu_next (mu_t twice, fixed in torch 2.x) so the look-ahead coefficient is b1/(1-b1^(t+2)),"
                      " optax's b1/(1-b1^(t+1)); no torch 1.13 setting with b1 != 0 matches"),
    "nadam_b1_0": cfg(torch.optim.NAdam,
                      (dict(lr=0.02, betas=(0.0, 0.999), eps=1e-8), "nadam", "lr=0.02,b1=0,b2=0.999,eps=1e-8"),
                      (dict(lr=0.05, betas=(0.0, 0.999), eps=1e-8), "nadam", "lr=0.05,b1=0,b2=0.999,eps=1e-8"),
                      note="b1=0: torch's mu_t = 0 and optax's look-ahead term vanish; a degenerate but exact"
                           " check of nadam's remaining rule (g/(sqrt(v_hat)+eps))"),
    "radam": cfg(torch.optim.RAdam,
                 (dict(lr=1e-3, betas=(0.9, 0.999), eps=0.0), "radam", "lr=1e-3,b1=0.9,b2=0.999,eps=0"),
                 (dict(lr=0.05, betas=(0.9, 0.999), eps=0.0), "radam", "lr=0.05,b1=0.9,b2=0.999,eps=0"),
                 note="eps=0 in both: torch adds eps to the uncorrected root (eps/sqrt(1-b2^t) effectively);"
                      " rectification starts at t=6 in both (threshold 5)"),
    "adagrad": cfg(torch.optim.Adagrad,
                   (dict(lr=0.1, initial_accumulator_value=0.1, eps=0.0), "adagrad",
                    "lr=0.1,initial_accumulator_value=0.1,eps=0"),
                   (dict(lr=0.1, initial_accumulator_value=0.1, eps=0.0), "adagrad",
                    "lr=0.1,initial_accumulator_value=0.1,eps=0"),
                   note="eps=0 in both (torch: outside the root, default 1e-10; optax: inside, 1e-7),"
                        " equal initial accumulator 0.1 (torch default 0), lr_decay=0"),
    "adadelta": cfg(torch.optim.Adadelta,
                    (dict(lr=1.0, rho=0.9, eps=1e-6), "adadelta", "lr=1,rho=0.9,eps=1e-6"),
                    (dict(lr=1.0, rho=0.9, eps=1e-6), "adadelta", "lr=1,rho=0.9,eps=1e-6"),
                    note="lr given explicitly (optax default None = ascent)"),
}


def flat(params):
    out = []
    for _, p in params:
        out.extend(float(v) for v in p.detach().reshape(-1).tolist())
    return out


def run(config, problem):
    cls, per_problem, equal, note = CONFIGS[config]
    kwargs, descent_name, descent_hp = per_problem[problem]
    params, loss_fn, extra = PROBLEMS[problem]()
    kw = dict(kwargs)
    if cls in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW, torch.optim.RMSprop,
               torch.optim.Adagrad, torch.optim.Adadelta, torch.optim.Adamax, torch.optim.NAdam,
               torch.optim.RAdam):
        kw["foreach"] = False  # the single-tensor path (1.13's RAdam foreach path ignores eps)
    opt = cls([p for _, p in params], **kw)
    initial = [{"name": n, "shape": list(p.shape), "values": [float(v) for v in p.detach().reshape(-1).tolist()]}
               for n, p in params]
    losses, trajectory = [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        losses.append(float(loss.item()))
        opt.step()
        trajectory.append(flat(params))
    for row in trajectory:
        if not all(math.isfinite(v) for v in row):
            sys.exit(f"{config}/{problem}: non-finite parameters")
    doc = {
        "generator": "scripts/reference/torch_optimizers.py",
        "torch_version": torch.__version__,
        "dtype": "float64",
        "config": config,
        "problem": problem,
        "torch": cls.__name__ + "(" + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + ")",
        "descent": {"optimizer": descent_name, "hyperparameters": descent_hp},
        "equal": equal,
        "note": note,
        "steps": STEPS,
        "parameters": initial,
    }
    doc.update(extra)
    doc["loss_before_step"] = losses
    doc["trajectory"] = trajectory
    return doc


# ---------------------------------------------------------------- optax's rules, re-stated
# A literal transcription of the optax rules (/work/shared/optimizers.md section 3) for the
# Descent optimizer and hyperparameters of each configuration. main() runs it next to torch
# and records the largest relative difference over the trajectory in every JSON file
# ("max_rel_diff_vs_optax_rule"): ~1e-15..1e-9 (rounding) for "equal": true, visible for
# "equal": false. This checks the settings chosen above; the Java test compares with torch.

def optax_rule(name, hp):
    h = {k: float(v) for k, v in (kv.split("=") for kv in hp.split(","))}
    lr = h["lr"]
    wd = h.get("weight_decay", 0.0)
    b1, b2, eps = h.get("b1", 0.9), h.get("b2", 0.999), h.get("eps", 1e-8)
    state = {}

    def step(params):
        t = state["t"] = state.get("t", 0) + 1
        for k, p in enumerate(params):
            g = p.grad.detach().clone()
            x = p.detach()
            if wd and name != "adamw":
                g = g + wd * x
            st = state.setdefault(k, {})
            z = torch.zeros_like(x)
            if name == "sgd":
                mu = h.get("momentum", 0.0)
                if mu:
                    st["tau"] = g + mu * st.get("tau", z)
                    d = g + mu * st["tau"] if h.get("nesterov", 0.0) else st["tau"]
                else:
                    d = g
                u = -lr * d
            elif name == "rmsprop":
                dec = h["decay"]
                st["nu"] = dec * st.get("nu", z) + (1 - dec) * g * g
                var = st["nu"]
                if h.get("centered", 0.0):
                    st["mu"] = dec * st.get("mu", z) + (1 - dec) * g
                    var = var - st["mu"] ** 2
                s = 1 / torch.sqrt(var + eps) if h.get("eps_in_sqrt", 1.0) else 1 / (torch.sqrt(var) + eps)
                u = -lr * s * g
                mom = h.get("momentum", 0.0)
                if mom:
                    st["tau"] = u + mom * st.get("tau", z)
                    u = u + mom * st["tau"] if h.get("nesterov", 0.0) else st["tau"]
            elif name in ("adam", "adamw", "amsgrad", "nadam", "radam"):
                st["m"] = b1 * st.get("m", z) + (1 - b1) * g
                st["v"] = b2 * st.get("v", z) + (1 - b2) * g * g
                mh = st["m"] / (1 - b1 ** t)
                vh = st["v"] / (1 - b2 ** t)
                if name == "nadam":
                    mh = b1 * st["m"] / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1 ** t)
                if name == "amsgrad":
                    st["vmax"] = torch.maximum(st.get("vmax", z), vh)
                    vh = st["vmax"]
                d = mh / (torch.sqrt(vh) + eps)
                if name == "radam":
                    rinf = 2 / (1 - b2) - 1
                    rt = rinf - 2 * t * b2 ** t / (1 - b2 ** t)
                    if rt >= 5.0:
                        d = math.sqrt((rt - 4) * (rt - 2) * rinf / ((rinf - 4) * (rinf - 2) * rt)) * d
                    else:
                        d = mh
                if name == "adamw":
                    d = d + wd * x
                u = -lr * d
            elif name == "adamax":
                st["m"] = b1 * st.get("m", z) + (1 - b1) * g
                st["v"] = torch.maximum(g.abs() + eps, b2 * st.get("v", z))
                u = -lr * (st["m"] / (1 - b1 ** t)) / st["v"]
            elif name == "adagrad":
                st["S"] = st.get("S", torch.full_like(x, h["initial_accumulator_value"])) + g * g
                u = -lr * g / torch.sqrt(st["S"] + eps)
            elif name == "adadelta":
                rho = h["rho"]
                st["Eg"] = rho * st.get("Eg", z) + (1 - rho) * g * g
                delta = torch.sqrt(st.get("Ex", z) + eps) / torch.sqrt(st["Eg"] + eps) * g
                st["Ex"] = rho * st.get("Ex", z) + (1 - rho) * delta * delta
                u = -lr * delta
            else:
                raise ValueError(name)
            with torch.no_grad():
                p.add_(u)

    return step


def optax_trajectory(config, problem):
    _, per_problem, _, _ = CONFIGS[config]
    _, name, hp = per_problem[problem]
    params, loss_fn, _ = PROBLEMS[problem]()
    step = optax_rule(name, hp)
    out = []
    for _ in range(STEPS):
        for _, p in params:
            p.grad = None
        loss_fn().backward()
        step([p for _, p in params])
        out.append(flat(params))
    return out


def max_rel_diff(a, b):
    return max(abs(x - y) / max(abs(y), 1e-300) for ra, rb in zip(a, b) for x, y in zip(ra, rb))


def main():
    os.makedirs(OUT, exist_ok=True)
    for config in CONFIGS:
        for problem in PROBLEMS:
            doc = run(config, problem)
            diff = max_rel_diff(optax_trajectory(config, problem), doc["trajectory"])
            if doc["equal"] and diff > 1e-7:
                sys.exit(f"{config}/{problem}: marked equal but differs from the optax rule by {diff:.3g}")
            if not doc["equal"] and diff < 1e-5:
                sys.exit(f"{config}/{problem}: marked not equal but agrees with the optax rule to {diff:.3g}")
            doc["max_rel_diff_vs_optax_rule"] = diff
            doc["trajectory"] = doc.pop("trajectory")
            path = os.path.join(OUT, f"{config}_{problem}.json")
            # one line per step keeps the files diff-able; json writes floats with repr
            text = json.dumps({k: v for k, v in doc.items() if k != "trajectory"}, indent=1)
            rows = ",\n  ".join(json.dumps(r) for r in doc["trajectory"])
            text = text[:-2] + ',\n "trajectory": [\n  ' + rows + "\n ]\n}\n"
            json.loads(text)
            with open(path, "w") as f:
                f.write(text)
            print(f"{config:18s} {problem:10s} loss {doc['loss_before_step'][0]:.6g} -> "
                  f"{doc['loss_before_step'][-1]:.6g}  vs optax rule {diff:.2g}  {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
