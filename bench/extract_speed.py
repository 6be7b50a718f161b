"""How `timeline extract`'s reading grows with the article: time against number of dates.

Issue 15 found the reading quadratic (10,000 dates: 145 s). This prints, for articles
of 1,000 to 8,000 dated sentences (each with a quote and a shift), the time
`read_article` takes and the time per date, which should stay about flat.

Run from the repository's root: `python bench/extract_speed.py [--sizes 1000 2000 4000 8000]`.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.dates import parse  # noqa: E402
from generator.extract import read_article  # noqa: E402
from generator.model import Actor  # noqa: E402

ACTORS = {"ivo-petrov": Actor("ivo-petrov", "Ivo Petrov", "person", aliases=("Petrov",))}


def article(dates: int) -> str:
    lines = (f'Petrov met the envoy on {1 + n % 28} May {1900 + n % 100}. "We will rebuild the bridges," '
             f"he said a day later." for n in range(dates))
    return "Floods in the north\n" + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    args = parser.parse_args()
    print(f"{'dates':>6} {'characters':>11} {'seconds':>8} {'ms/date':>8}")
    for size in args.sizes:
        text = article(size)
        start = time.perf_counter()
        read_article(text, parse("2018-05-23"), ACTORS)
        took = time.perf_counter() - start
        print(f"{size:>6} {len(text):>11,} {took:>8.2f} {1000 * took / size:>8.2f}")


if __name__ == "__main__":
    main()
