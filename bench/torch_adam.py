"""Baseline: torch.optim.Adam (foreach and fused) in float64, same work as `adamlab bench`."""
import argparse
import time

import torch


def steps_per_second(steps, **kw):
    w = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.001, **kw)
    start = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad()
        loss = (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2
        loss.backward()
        opt.step()
    return steps / (time.perf_counter() - start)


def params_per_second(size, repeats, **kw):
    w = (torch.arange(size, dtype=torch.float64) % 1000 * 0.001).requires_grad_()
    w.grad = torch.sin(torch.arange(size, dtype=torch.float64))
    opt = torch.optim.Adam([w], lr=0.001, **kw)
    opt.step()  # allocates state
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        opt.step()
        best = min(best, time.perf_counter() - start)
    return size / best


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=20_000)
    p.add_argument("--size", type=int, default=10_000_000)
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, kw in [("foreach", {"foreach": True}), ("fused", {"fused": True})]:
        print(f"torch {name:8s} adam rosenbrock-2d: {steps_per_second(a.steps, **kw):.4g} steps/s")
        print(f"torch {name:8s} adam step on {a.size} doubles: {params_per_second(a.size, a.repeats, **kw):.4g} params/s")
