"""Writes lessons/data/digits.csv from the copy of the UCI handwritten digits that ships inside
scikit-learn's wheel (sklearn/datasets/data/digits.csv.gz): 1,797 images of 8×8 pixels, each pixel a
count from 0 to 16, and the digit drawn. Each pixel is written divided by 16 (exact in binary), so the
inputs lie in [0, 1]; the last column is the digit. No scikit-learn code runs: the file is read as data.

    pip install scikit-learn
    python3 tools/data/extract_digits.py > lessons/data/digits.csv

The data set is E. Alpaydin and C. Kaynak's "Optical Recognition of Handwritten Digits" (UCI Machine
Learning Repository, 1998), licensed CC BY 4.0; see lessons/data/LICENSE-digits.md.
"""

import gzip
import importlib.util
import os


def source_path():
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise SystemExit("scikit-learn is not installed: pip install scikit-learn")
    return os.path.join(os.path.dirname(spec.origin), "datasets", "data", "digits.csv.gz")


def pixel(count):
    value = int(count) / 16
    return "0" if value == 0 else "1" if value == 1 else repr(value).lstrip("0")


def main():
    with gzip.open(source_path(), "rt") as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    print("# UCI optical recognition of handwritten digits (Alpaydin & Kaynak 1998), CC BY 4.0;")
    print("# 8x8 pixels, each count/16, then the digit. Made by tools/data/extract_digits.py")
    print(",".join(f"p{r}{c}" for r in range(8) for c in range(8)) + ",digit")
    for row in rows:
        *pixels, digit = row
        assert len(pixels) == 64 and 0 <= int(digit) <= 9
        print(",".join(pixel(p) for p in pixels) + f",{int(digit)}")


if __name__ == "__main__":
    main()
