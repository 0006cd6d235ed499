"""Baseline: Adam in NumPy with a Python loop (the style of the source notes), same work as `adamlab bench`."""
import argparse
import time

import numpy as np


def rosenbrock_grad(w, a=1.0, b=100.0):
    x, y = w
    return np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])


def adam_steps_per_second(steps):
    lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-8
    w = np.array([-1.5, 2.0])
    m = np.zeros(2)
    v = np.zeros(2)
    start = time.perf_counter()
    for t in range(1, steps + 1):
        g = rosenbrock_grad(w)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return steps / (time.perf_counter() - start)


def adam_params_per_second(size, repeats):
    lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-8
    w = np.arange(size) % 1000 * 0.001
    g = np.sin(np.arange(size, dtype=np.float64))
    m = np.zeros(size)
    v = np.zeros(size)
    best = float("inf")
    for t in range(1, repeats + 1):
        start = time.perf_counter()
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        best = min(best, time.perf_counter() - start)
    return size / best


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=100_000, help="loop steps (a Python loop: 10^5 is plenty)")
    p.add_argument("--size", type=int, default=10_000_000)
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args()
    print(f"numpy loop  adam rosenbrock-2d: {adam_steps_per_second(a.steps):.4g} steps/s")
    print(f"numpy       adam step on {a.size} doubles: {adam_params_per_second(a.size, a.repeats):.4g} params/s")
