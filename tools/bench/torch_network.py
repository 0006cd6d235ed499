"""Steps per second of torch's eager training loop on seed 000's network (2 inputs, 16 ReLU units, a
sigmoid output with binary cross-entropy, 200 points), Adam with lr 0.01, float64: the figure
`adamlab bench` prints beside its own. Prints one number (steps/s) on the last line.

    python3 tools/bench/torch_network.py [STEPS]
"""

import sys
import time

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    g = torch.Generator().manual_seed(0)
    X = torch.randn(200, 2, generator=g)
    y = (X.sum(dim=1) > 0).to(torch.float64)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(X)[:, 0], y)
        loss.backward()
        opt.step()

    for _ in range(200):  # warm up
        step()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, time.perf_counter() - start)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{steps / best:.6g}")


if __name__ == "__main__":
    main()
