#!/usr/bin/python3
"""Helpers of bench/run-kernel-comparison (Debian's python3, h5py).

    kernel_comparison.py work SCENARIO    agents, steps, replicates, p1 and p2 of a scenario
    kernel_comparison.py outcome march|naming_game FILE.h5
                                          orgsim's outcome, to check against the kernel's line
    kernel_comparison.py stats < TIMES    per case: orgsim and kernel seconds, paired ratio

TIMES holds one line per pair: case, orgsim seconds, kernel seconds.
"""
import math
import statistics
import sys
import tomllib

import h5py


def work(scenario_path: str) -> None:
    """The kernel's arguments for the scenario's work: agents (departments plus the CEO), steps,
    replicates, and K's p1 and p2 (orgsim's defaults where the scenario leaves them out)."""
    with open(scenario_path, "rb") as handle:
        scenario = tomllib.load(handle)
    agents = 1 + sum(department["headcount"] for department in scenario["departments"])
    knowledge = scenario.get("knowledge", {})
    print(agents, scenario["scenario"]["steps"], scenario["scenario"]["replicates"],
          knowledge.get("socialization_rate", 0.1), knowledge.get("code_learning_rate", 0.5))


def outcome(kind: str, results_path: str) -> None:
    """The same summary values as the kernels print, read from orgsim's results file."""
    with h5py.File(results_path, "r") as results:
        runs = results["run"].shape[0]
        if kind == "march":
            knowledge = results["code_knowledge"][:, -1]
            steps = results["equilibrium_step"][()]
            reached = steps[steps >= 0]
            mean_step = reached.mean() if reached.size else -1.0
            print(f"orgsim runs={runs} code_knowledge={knowledge.mean():.4f} "
                  f"se={knowledge.std(ddof=1) / math.sqrt(runs):.4f} mean_equilibrium_step={mean_step:.2f} "
                  f"max_equilibrium_step={steps.max()} reached={reached.size}")
        else:
            words = results["distinct_words"][:, -1]
            print(f"orgsim runs={runs} mean_final_distinct_words={words.mean():.2f} "
                  f"runs_at_one_word={int((words == 1).sum())}")


def stats() -> None:
    """Median and range over the pairs of each case; the ratio is taken within each pair."""
    pairs: dict[str, list[tuple[float, float]]] = {}
    for line in sys.stdin:
        case, orgsim_seconds, kernel_seconds = line.split()
        pairs.setdefault(case, []).append((float(orgsim_seconds), float(kernel_seconds)))

    def spread(values: list[float], digits: int) -> str:
        return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"

    print(f"{'case':<34} {'pairs':>5}  {'orgsim s':>20}  {'kernel s':>20}  {'orgsim/kernel':>20}")
    for case, timed in pairs.items():
        orgsim = [o for o, _ in timed]
        kernel = [k for _, k in timed]
        ratio = [o / k for o, k in timed]
        print(f"{case:<34} {len(timed):>5}  {spread(orgsim, 2):>20}  {spread(kernel, 2):>20}  "
              f"{spread(ratio, 2):>20}")


def main() -> int:
    if len(sys.argv) >= 2 and sys.argv[1] == "stats":
        stats()
    elif len(sys.argv) == 3 and sys.argv[1] == "work":
        work(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "outcome" and sys.argv[2] in ("march", "naming_game"):
        outcome(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
