"""Autograd's value and gradient of every named objective at seeded points, as a test fixture.

Each objective is written the natural way in PyTorch (the expression in `OBJECTIVES`), in float64;
autograd's gradient of that expression is what adamlab's hand-written gradients must reproduce bit
for bit. Numbers are written with float.hex, so they read back exactly.

    python tools/reference/gradients.py > Tests/AdamLabCoreTests/Fixtures/autograd/gradients.json

Needs torch (see requirements.txt); the tests only read the file it writes.
"""

import json
import math
import random
import sys
from fractions import Fraction

import torch

torch.set_default_dtype(torch.float64)


def rosenbrock(w):
    x, y = w[0], w[1]
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def rastrigin(w):
    return 10.0 * w.numel() + (w**2 - 10.0 * torch.cos(2 * math.pi * w)).sum()


def ackley(w):
    n = w.numel()
    return (
        -20.0 * torch.exp(-0.2 * torch.sqrt((w * w).sum() / n))
        - torch.exp(torch.cos(2 * math.pi * w).sum() / n)
        + math.e
        + 20.0
    )


def beale(w):
    x, y = w[0], w[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def himmelblau(w):
    x, y = w[0], w[1]
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2


def sphere(w):
    return (w * w).sum()


def quadratic(w):
    return (torch.tensor([1.0, 5.0]) * (w * w)).sum()


def gaussian_mixture(w):
    norm = 1.0 / (2 * math.pi * math.sqrt(0.75))
    f = torch.zeros(())
    for mx, my in [(-2.0, -2.0), (2.0, 2.0), (-2.0, 2.0), (2.0, -2.0)]:
        dx, dy = w[0] - mx, w[1] - my
        sx, sy = (4 * dx - 2 * dy) / 3, (4 * dy - 2 * dx) / 3
        f = f - 0.25 * (norm * torch.exp(-(dx * sx + dy * sy) / 2))
    return f


def libm_differs(name, w):
    """Whether torch's exp, sqrt, cos or sin (its vector math library, not correctly rounded) gives
    another double than glibc's at one of the arguments this objective and its gradient take at w."""
    t = torch.tensor(w)
    calls = []
    if name == "rastrigin" or name == "ackley":
        u = 2 * math.pi * t
        calls += [(torch.cos(u), [math.cos(v) for v in u.tolist()]), (torch.sin(u), [math.sin(v) for v in u.tolist()])]
    if name == "ackley":
        n = t.numel()
        r = torch.sqrt((t * t).sum() / n)
        c = torch.cos(2 * math.pi * t).sum() / n
        calls += [(r.reshape(1), [math.sqrt(float((t * t).sum() / n))])]
        calls += [(torch.exp(-0.2 * r).reshape(1), [math.exp(float(-0.2 * r))])]
        calls += [(torch.exp(c).reshape(1), [math.exp(float(c))])]
    if name == "gaussian-mixture":
        for mx, my in [(-2.0, -2.0), (2.0, 2.0), (-2.0, 2.0), (2.0, -2.0)]:
            dx, dy = t[0] - mx, t[1] - my
            sx, sy = (4 * dx - 2 * dy) / 3, (4 * dy - 2 * dx) / 3
            q = -(dx * sx + dy * sy) / 2
            calls += [(torch.exp(q).reshape(1), [math.exp(float(q))])]
    if name.startswith("f(") and "sin" in name:
        x, y = w
        for fn, arg in [("sin", x), ("cos", y), ("exp", -(x * x + y * y) / 4), ("sqrt", x * x + y * y + 1),
                        ("tanh", x * y), ("log", x * x + 1), ("cos", x), ("sin", y)]:
            calls.append((getattr(torch, fn)(torch.tensor([arg])), [getattr(math, fn)(arg)]))
    return any(a.tolist() != b for a, b in calls)


# Formulas as a learner types them, with the same expression in torch (`^` is `**` with an int).
FORMULAS = [
    ("f(x,y) = x^2 + 5*y^2", lambda w: w[0] ** 2 + 5 * w[1] ** 2),
    (
        "f(x,y) = (1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        lambda w: (1.5 - w[0] + w[0] * w[1]) ** 2 + (2.25 - w[0] + w[0] * w[1] ** 2) ** 2
        + (2.625 - w[0] + w[0] * w[1] ** 3) ** 2,
    ),
    (
        "f(x,y) = sin(x)*cos(y) + exp(-(x^2 + y^2)/4) + sqrt(x^2 + y^2 + 1) + tanh(x*y) - log(x^2 + 1)/(y^2 + 2)",
        lambda w: torch.sin(w[0]) * torch.cos(w[1]) + torch.exp(-(w[0] ** 2 + w[1] ** 2) / 4)
        + torch.sqrt(w[0] ** 2 + w[1] ** 2 + 1) + torch.tanh(w[0] * w[1])
        - torch.log(w[0] ** 2 + 1) / (w[1] ** 2 + 2),
    ),
]


# name, function, the box the points are drawn from
OBJECTIVES = [
    ("sphere", sphere, 5.0),
    ("quadratic", quadratic, 5.0),
    ("rosenbrock", rosenbrock, 2.0),
    ("rastrigin", rastrigin, 5.12),
    ("ackley", ackley, 5.0),
    ("beale", beale, 4.5),
    ("himmelblau", himmelblau, 5.0),
    ("gaussian-mixture", gaussian_mixture, 5.0),
] + [(text, f, 3.0) for text, f in FORMULAS]


def generated(n, seed):
    """Coordinates from integer arithmetic and one division, so adamlab's tests make the same doubles
    (AutogradGradientTests.generated) without a 32,768-number fixture."""
    w = []
    for i in range(n):
        h = ((i + 1) * 2654435761 + seed * 40503) % 2**32
        w.append(float((h % 20001) - 10000) / float(1 + (h >> 20) % 997))
    return w


# Sums over many coordinates, which torch adds in its own order (4-lane vectors, four running sums,
# a cascade of chunks): the value at generated points of every size up to 32,768 (sphere, quadratic
# c=3), and value and gradient at drawn points of Rastrigin and Ackley in 1 to 64 dimensions.
SIZES = list(range(1, 41)) + [63, 64, 65, 100, 255, 256, 257, 1000, 1023, 4095, 4096, 4099, 16411, 32767, 32768]
DRAWN = [1, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 33, 64]


def dimensions(rng):
    cases = []
    for name, f in [("sphere", sphere), ("quadratic c=3", lambda w: 3.0 * (w * w))]:
        rows = []
        for n in SIZES:
            for seed in range(3):
                w = torch.tensor(generated(n, seed))
                value = (w * w).sum() if name == "sphere" else f(w).sum()
                rows.append({"n": n, "seed": seed, "f": float(value).hex()})
        cases.append({"name": name, "generated": rows})
    # The same sums in float32, which torch adds in vectors of eight.
    rows = []
    for n in SIZES:
        for seed in range(3):
            w = torch.tensor(generated(n, seed), dtype=torch.float32)
            rows.append({"n": n, "seed": seed, "f": float((w * w).sum()).hex()})
    cases.append({"name": "sphere", "dtype": "float32", "generated": rows})
    for name, f, box in [("rastrigin", rastrigin, 5.12), ("ackley", ackley, 5.0)]:
        rows = []
        for n in DRAWN:
            for _ in range(20):
                w = torch.tensor([rng.uniform(-box, box) for _ in range(n)], requires_grad=True)
                loss = f(w)
                loss.backward()
                row = {"w": [float(v).hex() for v in w.detach()], "f": float(loss).hex(),
                       "g": [float(v).hex() for v in w.grad]}
                if libm_differs(name, w.detach().tolist()):
                    row["libm"] = True
                rows.append(row)
        cases.append({"name": name, "points": rows})
    return cases


def fma_sum(xs, ds):
    """Σ x·d with one correctly rounded fused multiply-add per term, left to right from 0."""
    total = 0.0
    for x, d in zip(xs, ds):
        total = float(Fraction(x) * Fraction(d) + Fraction(total))
    return total


def regression(rng):
    """((X @ w[:k] + w[k] - y)**2).mean() on small data sets of 1 to 5 features, as CSV text. Where
    torch's BLAS (MKL) computes X @ w or Xᵀ @ d in another order than adamlab (up to four features the
    products in four lanes added (p0 + p2) + (p1 + p3), beyond that left to right; one fused
    multiply-add per row backward), the point is marked `blas`."""
    cases = []
    for k, rows in [(1, 5), (1, 20), (2, 10), (2, 100), (3, 12), (4, 15), (5, 10)]:
        data = [[round(rng.uniform(-3, 3), 3) for _ in range(k + 1)] for _ in range(rows)]
        X = torch.tensor([r[:k] for r in data])
        y = torch.tensor([r[k] for r in data])
        csv = ",".join([f"x{j + 1}" for j in range(k)] + ["y"]) + "\n" + "".join(
            ",".join(repr(v) for v in r) + "\n" for r in data)
        points = []
        for _ in range(50):
            w = torch.tensor([rng.uniform(-2, 2) for _ in range(k + 1)], requires_grad=True)
            prediction = X @ w[:k]
            loss = ((prediction + w[k] - y) ** 2).mean()
            loss.backward()
            row = {"w": [float(v).hex() for v in w.detach()], "f": float(loss).hex(),
                   "g": [float(v).hex() for v in w.grad]}
            ws = w.detach().tolist()
            ordered = [mkl_order([x * v for x, v in zip(r[:k], ws)]) for r in data]
            r = [(p + ws[k]) - t for p, t in zip(prediction.tolist(), y.tolist())]
            d = [(1.0 / rows) * (2.0 * v) for v in r]
            if ordered != prediction.tolist() or [fma_sum([r[j] for r in data], d) for j in range(k)] != (X.T @ torch.tensor(d)).tolist():
                row["blas"] = True
            points.append(row)
        cases.append({"name": f"linear-regression {k} features, {rows} rows", "csv": csv, "points": points})
    return cases


def mkl_order(products):
    """A prediction's products added as MKL adds them here for up to four features: in four lanes,
    then (lane 0 + lane 2) + (lane 1 + lane 3); beyond four, left to right (MKL's own order differs)."""
    if len(products) > 4:
        total = products[0]
        for v in products[1:]:
            total += v
        return total
    p = products + [0.0] * (4 - len(products))
    return (p[0] + p[2]) + (p[1] + p[3])


def main(points=1000, seed=20261202):
    rng = random.Random(seed)
    out = {"source": f"torch {torch.__version__} autograd, float64", "objectives": []}
    for name, f, box in OBJECTIVES:
        rows = []
        for _ in range(points):
            w = torch.tensor([rng.uniform(-box, box), rng.uniform(-box, box)], requires_grad=True)
            loss = f(w)
            loss.backward()
            row = {
                "w": [float(v).hex() for v in w.detach()],
                "f": float(loss).hex(),
                "g": [float(v).hex() for v in w.grad],
            }
            if libm_differs(name, w.detach().tolist()):
                row["libm"] = True
            rows.append(row)
        out["objectives"].append({"name": name, "points": rows})
    out["dimensions"] = dimensions(rng)
    out["regression"] = regression(rng)
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
