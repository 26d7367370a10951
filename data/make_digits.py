"""Extract the handwritten digits from a scikit-learn wheel into data/digits.npz, once.

    pip download scikit-learn --no-deps -d /tmp/skl
    python data/make_digits.py /tmp/skl/scikit_learn-*.whl

The course does not depend on scikit-learn: it only borrows the copy of the UCI "Optical
Recognition of Handwritten Digits" test set that the wheel carries (see data/README.md).
"""

import gzip
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "sklearn/datasets/data/digits.csv.gz"
TARGET = Path(__file__).resolve().parent / "digits.npz"


def extract(wheel):
    """Images (1797, 8, 8) and labels (1797,), both uint8, from the wheel's digits.csv.gz."""
    with zipfile.ZipFile(wheel) as archive:
        text = gzip.decompress(archive.read(MEMBER)).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",")
    # each row: 64 pixel counts (0-16), then the label
    images = table[:, :64].reshape(-1, 8, 8).astype(np.uint8)
    labels = table[:, 64].astype(np.uint8)
    assert images.shape == (1797, 8, 8) and images.max() == 16 and set(labels) == set(range(10))
    return images, labels


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    images, labels = extract(sys.argv[1])
    np.savez_compressed(TARGET, images=images, labels=labels)
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")
