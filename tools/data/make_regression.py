"""Writes lessons/data/regression.csv: 200 rows of two features and a target,
y = 3·x1 − 2·x2 + 1 + noise, from a fixed seed (Python's own Mersenne Twister),
values rounded to 4 decimals so that the file is the same wherever it is made.

    python3 tools/data/make_regression.py > lessons/data/regression.csv
"""

import random

ROWS = 200
SEED = 42


def main() -> None:
    rng = random.Random(SEED)
    print("# y = 3*x1 - 2*x2 + 1 + noise (sigma 0.5), 200 rows; made by tools/data/make_regression.py")
    print("x1,x2,y")
    for _ in range(ROWS):
        x1 = round(rng.uniform(0, 4), 4)
        x2 = round(rng.uniform(-1, 1), 4)
        y = round(3 * x1 - 2 * x2 + 1 + rng.gauss(0, 0.5), 4)
        print(f"{x1},{x2},{y}")


if __name__ == "__main__":
    main()
