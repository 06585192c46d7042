"""Benchmark: evaluate 1,000 park-years against HJ 274-2015 (target: under 2 s in total).

The park-years are variants of the seed example (examples/wujin-2018/dataset.yaml), built in
memory with a seeded generator: every numeric observation scaled by its own random factor
(0.6-1.6 per item-year), and a varied planning base year, region class and set of selected
optional indicators. Generation is not timed; only `ecopark.core.evaluate.evaluate(framework,
dataset)` is (32 indicators, each with its trace, and the overall verdict). Peak memory of the
evaluation phase is measured in a separate pass under tracemalloc, which slows Python down.

Run from anywhere: .venv/bin/python bench/assess_many.py [--count N] [--repeat R]
Prints figures only; it never asserts.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import random
import statistics
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from ecopark.core.dataset.loading import load_dataset
from ecopark.core.dataset.model import Dataset, Observation
from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.core.results import Status
from ecopark.core.verdict import VerdictStatus

ROOT = Path(__file__).resolve().parent.parent
SEED_DATASET = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
SEED = 2015
COUNT = 1000
TARGET_SECONDS = 2.0
SCALE = (0.6, 1.6)
BASE_YEARS = range(2008, 2015)  # all before the evaluation year 2018 and the 2015 IVA row


def load_seed() -> tuple[Framework, Dataset]:
    dataset = load_dataset(SEED_DATASET)
    return load_framework(dataset.framework_id), dataset


def scaled_values(dataset: Dataset, rng: random.Random) -> dict[tuple[str, int], Observation]:
    """Every numeric observation times its own factor; "/" and facts are kept as they are."""
    return {key: dataclasses.replace(obs, value=obs.value * rng.uniform(*SCALE))
            for key, obs in dataset.values.items() if isinstance(obs.value, float)}


def variant(framework: Framework, seed: Dataset, index: int, rng: random.Random) -> Dataset:
    """One park-year: scaled numbers, another base year, region class and selection."""
    regions = sorted(framework.spec.profile_fields["region_class"].values)
    optional = sorted(ind.number for ind in framework.indicators if not ind.mandatory)
    selected = frozenset(rng.sample(optional, rng.randint(0, len(optional))))
    dataset = seed.with_values(scaled_values(seed, rng)).with_base_year(rng.choice(BASE_YEARS))
    profile = dataclasses.replace(dataset.profile, name=f"{seed.profile.name} #{index}",
                                  fields={"region_class": rng.choice(regions)},
                                  selected=selected)
    return dataclasses.replace(dataset, profile=profile)


def generate(framework: Framework, seed: Dataset, count: int) -> list[Dataset]:
    rng = random.Random(SEED)
    return [variant(framework, seed, index, rng) for index in range(count)]


def evaluate_all(framework: Framework, datasets: list[Dataset]) -> list[Evaluation]:
    return [evaluate(framework, dataset) for dataset in datasets]


def timed_runs(framework: Framework, datasets: list[Dataset],
               repeat: int) -> tuple[list[float], list[Evaluation]]:
    """Wall seconds of each full pass over `datasets`, and the last pass's evaluations."""
    seconds: list[float] = []
    evaluations: list[Evaluation] = []
    for _ in range(repeat):
        evaluations = []
        gc.collect()
        start = time.perf_counter()
        evaluations = evaluate_all(framework, datasets)
        seconds.append(time.perf_counter() - start)
    return seconds, evaluations


class GcClock:
    """Wall time spent in the cyclic garbage collector while it is installed (gc.callbacks)."""

    def __init__(self) -> None:
        self.seconds, self.collections, self._start = 0.0, Counter[int](), 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections[info["generation"]] += 1

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def breakdown(framework: Framework, datasets: list[Dataset]) -> None:
    """Where the time goes besides the evaluation itself: the collector walking kept results."""
    gc.collect()
    with GcClock() as clock:
        start = time.perf_counter()
        kept = evaluate_all(framework, datasets)
        total = time.perf_counter() - start
    del kept
    gc.collect()
    start = time.perf_counter()
    for dataset in datasets:
        evaluate(framework, dataset)
    discarded = time.perf_counter() - start
    gens = ", ".join(f"gen{g}: {n}" for g, n in sorted(clock.collections.items()))
    print("breakdown (one more pass each):")
    print(f"  results kept:          {total:.3f} s, of which cyclic GC {clock.seconds:.3f} s "
          f"({gens})")
    print(f"  results discarded:     {discarded:.3f} s")


def peak_memory(framework: Framework, datasets: list[Dataset]) -> tuple[int, int]:
    """Peak and retained bytes allocated while evaluating all datasets (results kept)."""
    gc.collect()
    tracemalloc.start()
    evaluations = evaluate_all(framework, datasets)
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del evaluations
    return peak, retained


def histograms(evaluations: list[Evaluation]) -> tuple[Counter[str], Counter[str], int]:
    statuses: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    traced = 0
    for evaluation in evaluations:
        verdicts[evaluation.verdict.status.value] += 1
        for result in evaluation.results:
            statuses[result.status.value] += 1
            traced += result.trace is not None
    return statuses, verdicts, traced


def print_counter(title: str, counter: Counter[str], keys: list[str]) -> None:
    """Every key in `keys` (zeros included), then any other key seen."""
    total = sum(counter.values()) or 1
    print(f"{title}:")
    for key in keys + sorted(set(counter) - set(keys)):
        print(f"  {key:<16} {counter[key]:>7}  {100 * counter[key] / total:5.1f} %")


def report(seconds: list[float], evaluations: list[Evaluation], memory: tuple[int, int],
           generation: float) -> None:
    count = len(evaluations)
    best = min(seconds)
    statuses, verdicts, traced = histograms(evaluations)
    print(f"park-years:              {count}")
    print(f"generation (not timed):  {generation:.3f} s")
    print(f"total seconds:           {seconds[0]:.3f} (first pass)")
    print(f"  all passes:            {', '.join(f'{s:.3f}' for s in seconds)}"
          f"  (best {best:.3f}, median {statistics.median(seconds):.3f})")
    print(f"per park-year:           {1000 * seconds[0] / count:.3f} ms (first pass), "
          f"{1000 * best / count:.3f} ms (best)")
    print(f"indicators evaluated:    {sum(statuses.values())} ({traced} with a trace)")
    print_counter("indicator statuses", statuses, [status.value for status in Status])
    print_counter("verdicts", verdicts, [status.value for status in VerdictStatus])
    print(f"peak memory (evaluation phase, tracemalloc): {memory[0] / 2**20:.1f} MiB "
          f"(retained with all results: {memory[1] / 2**20:.1f} MiB)")
    verdict = "OK" if seconds[0] < TARGET_SECONDS else "MISSED"
    print(f"target < {TARGET_SECONDS:g} s: {verdict}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNT, help="park-years (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (default 3)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    framework, seed = load_seed()
    evaluate(framework, seed)  # warm-up: lazy imports and caches, not timed
    start = time.perf_counter()
    datasets = generate(framework, seed, args.count)
    generation = time.perf_counter() - start
    seconds, evaluations = timed_runs(framework, datasets, max(1, args.repeat))
    report(seconds, evaluations, peak_memory(framework, datasets), generation)
    breakdown(framework, datasets)


if __name__ == "__main__":
    main()
