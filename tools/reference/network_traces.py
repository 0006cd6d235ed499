"""Autograd's loss and gradient of small networks, and a torch.optim.Adam trace on one, as fixtures.

Each case is a data set (written into the fixture as CSV text, the last column the class), layer
sizes and an activation; the network is torch.nn.Linear layers (weight then bias, as
model.parameters() orders them) with the activation between them, and a sigmoid with binary
cross-entropy for one output (binary_cross_entropy_with_logits) or a softmax with cross-entropy for
more (cross_entropy), the mean over the rows, in float64. Numbers are written with float.hex.

    python tools/reference/network_traces.py > Tests/AdamLabCoreTests/Fixtures/network/networks.json

Needs torch (see requirements.txt); the tests only read the file it writes.
"""

import json
import random

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

ACTIVATIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}


def data(rows, inputs, classes, seed):
    rng = random.Random(seed)
    features = [[round(rng.gauss(0, 1), 6) for _ in range(inputs)] for _ in range(rows)]
    if classes == 1:
        labels = [1 if sum(x) > 0 else 0 for x in features]
    else:
        labels = [max(range(classes), key=lambda k: x[k]) for x in features]
    csv = "\n".join(",".join(repr(v) for v in x) + f",{y}" for x, y in zip(features, labels))
    return features, labels, csv


def loss_of(theta, sizes, act, X, y):
    offset = 0
    a = X
    for l in range(len(sizes) - 1):
        n, m = sizes[l], sizes[l + 1]
        W = theta[offset : offset + m * n].view(m, n)
        offset += m * n
        b = theta[offset : offset + m]
        offset += m
        a = F.linear(a, W, b)
        if l < len(sizes) - 2:
            a = ACTIVATIONS[act](a)
    if sizes[-1] == 1:
        return F.binary_cross_entropy_with_logits(a[:, 0], y.to(torch.float64))
    return F.cross_entropy(a, y)


def case(name, sizes, act, rows, seed, points):
    features, labels, csv = data(rows, sizes[0], sizes[-1], seed)
    X = torch.tensor(features)
    y = torch.tensor(labels)
    count = sum(sizes[l + 1] * (sizes[l] + 1) for l in range(len(sizes) - 1))
    rng = random.Random(seed + 1000)
    out = []
    for _ in range(points):
        theta = torch.tensor([rng.uniform(-1, 1) for _ in range(count)], requires_grad=True)
        f = loss_of(theta, sizes, act, X, y)
        (g,) = torch.autograd.grad(f, theta)
        out.append(
            {"theta": [v.hex() for v in theta.tolist()], "f": f.item().hex(), "grad": [v.hex() for v in g.tolist()]}
        )
    return {"name": name, "sizes": sizes, "act": act, "csv": csv, "points": out}


def adam_trace(sizes, act, rows, seed, steps):
    features, labels, csv = data(rows, sizes[0], sizes[-1], seed)
    X = torch.tensor(features)
    y = torch.tensor(labels)
    count = sum(sizes[l + 1] * (sizes[l] + 1) for l in range(len(sizes) - 1))
    rng = random.Random(seed + 2000)
    theta = torch.tensor([rng.gauss(0, 0.5) for _ in range(count)], requires_grad=True)
    start = [v.hex() for v in theta.tolist()]
    opt = torch.optim.Adam([theta], lr=0.01)
    thetas = []
    for _ in range(steps):
        opt.zero_grad()
        loss_of(theta, sizes, act, X, y).backward()
        opt.step()
        thetas.append([v.hex() for v in theta.detach().tolist()])
    return {
        "source": f"torch {torch.__version__}, torch.optim.Adam(lr=0.01), float64",
        "sizes": sizes, "act": act, "csv": csv, "start": start, "theta": thetas,
    }


def main():
    cases = [
        case("relu-2-16-1", [2, 16, 1], "relu", 200, 0, 3),
        case("tanh-3-4-4-1", [3, 4, 4, 1], "tanh", 50, 1, 3),
        case("sigmoid-4-5-3", [4, 5, 3], "sigmoid", 60, 2, 3),
        case("relu-6-8-4", [6, 8, 4], "relu", 80, 3, 3),
    ]
    trace = adam_trace([2, 16, 1], "relu", 200, 0, 200)
    print(json.dumps({"cases": cases, "adam": trace}))


if __name__ == "__main__":
    main()
