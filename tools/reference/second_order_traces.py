"""Reference runs of the second-order methods, from PyTorch, as a test fixture.

- L-BFGS: torch.optim.LBFGS itself (no line search and line_search_fn='strong_wolfe', the default
  history_size, max_iter, tolerance_grad and tolerance_change, and a few others), θ after every
  `optimizer.step(closure)` with the run's iteration and evaluation counts.
- Newton: H from torch.autograd.functional.hessian, d = −solve(H + λI, g) (or −|H|⁻¹g through
  torch.linalg.eigh where fix=abs and H + λI is not positive definite), θ += lr·d.
- Natural gradient: the metric G = H + λI where that is positive definite, else |H| + λI, the same way.

Numbers are written with float.hex, so they read back exactly. Objectives are those of gradients.py.

    python tools/reference/second_order_traces.py > Tests/AdamLabCoreTests/Fixtures/second-order/traces.json
"""

import json

import torch

from gradients import ackley, beale, gaussian_mixture, himmelblau, quadratic, rastrigin, rosenbrock, sphere

torch.set_default_dtype(torch.float64)

OBJECTIVES = {
    "rosenbrock": rosenbrock,
    "beale": beale,
    "himmelblau": himmelblau,
    "ackley": ackley,
    "rastrigin": rastrigin,
    "sphere": sphere,
    "quadratic c=1,5": quadratic,
    "gaussian-mixture": gaussian_mixture,
}


def hexes(t):
    return [float(x).hex() for x in t.tolist()]


def lbfgs_run(name, start, options, steps):
    f = OBJECTIVES[name]
    w = torch.tensor(start, requires_grad=True)
    opt = torch.optim.LBFGS([w], **options)

    def closure():
        opt.zero_grad()
        loss = f(w)
        loss.backward()
        return loss

    out = []
    for _ in range(steps):
        opt.step(closure)
        state = opt.state[w]
        out.append({
            "theta": hexes(w.detach()),
            "n_iter": state["n_iter"],
            "func_evals": state["func_evals"],
            "pairs": len(state.get("old_dirs") or []),
        })
    return out


def spec_text(options):
    parts = ["lbfgs"]
    names = {"lr": "lr", "max_iter": "max_iter", "max_eval": "max_eval", "history_size": "history_size",
             "tolerance_grad": "tolerance_grad", "tolerance_change": "tolerance_change"}
    for key, value in options.items():
        if key == "line_search_fn":
            parts.append(f"line_search={value}")
        else:
            parts.append(f"{names[key]}={value}")
    return " ".join(parts)


def curvature_run(kind, name, start, lr, damping, fix, steps):
    f = OBJECTIVES[name]
    w = torch.tensor(start)
    out = []
    for _ in range(steps):
        x = w.clone().requires_grad_(True)
        loss = f(x)
        (g,) = torch.autograd.grad(loss, x)
        H = torch.autograd.functional.hessian(f, w)
        n = w.numel()
        M = H + damping * torch.eye(n)
        vals, vecs = torch.linalg.eigh(H)
        shifted = vals + damping
        positive = bool((shifted > 0).all()) and bool(shifted.abs().min() > n * 2.0**-52 * shifted.abs().max())
        if positive or fix == "none":
            d = -torch.linalg.solve(M, g)
        else:
            d = -(vecs @ (torch.diag(1.0 / (vals.abs() + damping)) @ (vecs.T @ g)))
        w = w + lr * d
        out.append({"theta": hexes(w), "hessian": hexes(H.reshape(-1)), "direction": hexes(d), "loss": float(loss.detach()).hex()})
    return out


def main():
    lbfgs = []
    cases = [
        ("rosenbrock", [-1.5, 2.0], {}, 12),
        ("rosenbrock", [-1.5, 2.0], {"line_search_fn": "strong_wolfe"}, 6),
        ("rosenbrock", [-1.5, 2.0], {"max_iter": 1}, 60),
        ("rosenbrock", [-1.5, 2.0], {"max_iter": 1, "line_search_fn": "strong_wolfe"}, 40),
        ("rosenbrock", [3.0, 4.0], {"history_size": 3, "line_search_fn": "strong_wolfe", "max_iter": 5}, 12),
        ("beale", [1.0, 1.0], {"line_search_fn": "strong_wolfe"}, 6),
        ("beale", [1.0, 1.0], {"lr": 0.5, "max_iter": 4}, 20),
        ("himmelblau", [0.0, 0.0], {"line_search_fn": "strong_wolfe", "max_iter": 3}, 10),
        ("ackley", [-3.3, 2.2], {"line_search_fn": "strong_wolfe"}, 5),
        ("rastrigin", [-1.0, -1.0], {"max_iter": 2}, 10),
        ("gaussian-mixture", [0.3, 0.1], {"line_search_fn": "strong_wolfe", "max_iter": 2}, 8),
        ("quadratic c=1,5", [10.0, 10.0], {"tolerance_grad": 1e-5, "tolerance_change": 1e-6}, 3),
    ]
    for name, start, options, steps in cases:
        lbfgs.append({
            "objective": name, "start": start, "spec": spec_text(options),
            "steps": lbfgs_run(name, start, options, steps),
        })
    curvature = []
    runs = [
        ("newton", "rosenbrock", [-1.5, 2.0], 1.0, 0.0, "none", 8),
        ("newton", "beale", [1.0, 1.0], 1.0, 0.0, "none", 8),
        ("newton", "himmelblau", [0.5, 0.5], 1.0, 0.0, "none", 8),
        ("newton", "sphere", [3.0, 4.0], 1.0, 0.0, "none", 2),
        ("newton", "quadratic c=1,5", [10.0, 10.0], 0.5, 0.0, "none", 5),
        ("newton", "gaussian-mixture", [2.2, 1.8], 1.0, 0.0, "none", 6),
        ("newton", "ackley", [-1.5, 2.0], 1.0, 0.0, "abs", 8),
        ("newton", "rastrigin", [-1.2, 0.7], 0.5, 1e-3, "abs", 8),
        ("natural", "sphere", [3.0, 4.0], 0.1, 1e-9, "abs", 10),
        ("natural", "ackley", [-1.5, 2.0], 0.1, 1e-9, "abs", 10),
        ("natural", "rosenbrock", [-1.5, 2.0], 0.1, 1e-9, "abs", 10),
    ]
    for kind, name, start, lr, damping, fix, steps in runs:
        spec = f"{kind} lr={lr}" + (f" damping={damping}" if damping else " damping=0") + (f" fix={fix}" if kind == "newton" else "")
        curvature.append({
            "objective": name, "start": start, "spec": spec,
            "steps": curvature_run(kind, name, start, lr, damping, fix, steps),
        })
    json.dump({"torch": torch.__version__, "lbfgs": lbfgs, "curvature": curvature}, __import__("sys").stdout, indent=1)


if __name__ == "__main__":
    main()
