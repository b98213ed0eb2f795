"""The report role's cost on the controller: N targets x the default sections (goal: at most 2 CPU-s
per target, CPU as the ansible-playbook process tree's user+sys), with every Insights query held
Running for 2 s by the local AWS so the wall time shows whether queries overlap.

``--before REF`` also runs the collection as of git REF (checked out in a temporary worktree of this
repository) in the same sitting, alternating the two, for a before/after ratio:
``.venv/bin/python bench/bench_report.py [--targets 4] [--before REF]``.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from bench_lookup import report_run  # noqa: E402

GOAL_CPU_PER_TARGET = 2.0
REPEATS = 2


def _collections_for(tree, parent):
    """A collections directory whose netobs.flowlogs is ``tree``."""
    link = os.path.join(parent, "ansible_collections", "netobs", "flowlogs")
    os.makedirs(os.path.dirname(link))
    os.symlink(tree, link)
    return parent


def run(targets=4, before=None, repeats=REPEATS, quick=False):
    if quick:
        targets, repeats = 2, 1
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"this tree": _collections_for(REPO_ROOT, os.path.join(scratch, "now"))}
        if before:
            worktree = os.path.join(scratch, "before-tree")
            subprocess.run(["git", "-C", REPO_ROOT, "worktree", "add", "--detach", "-q", worktree, before], check=True)
            trees["before ({0})".format(before)] = _collections_for(worktree, os.path.join(scratch, "before"))
        try:
            measured = dict((name, []) for name in trees)
            for _repeat in range(repeats):
                for name, path in trees.items():
                    measured[name].append(report_run(path, targets=targets))
        finally:
            if before:
                subprocess.run(["git", "-C", REPO_ROOT, "worktree", "remove", "--force", worktree], check=False)
    rows = []
    for name, runs in measured.items():
        cpu = statistics.median(r["cpu_s"] for r in runs)
        wall = statistics.median(r["wall_s"] for r in runs)
        rows.append(dict(tree=name, wall_s=wall, cpu_s=cpu, cpu_per_target=cpu / targets,
                         within_goal=cpu / targets <= GOAL_CPU_PER_TARGET))
    return dict(targets=targets, repeats=repeats, rows=rows)


def markdown(result):
    lines = ["{0} targets, the default sections, each query Running for 2 s; median of {1} run(s) per tree, "
             "alternating".format(result["targets"], result["repeats"]), "",
             "| Collection | wall | controller CPU | CPU per target | Goal: <= {0:.0f} CPU-s per target |".format(
                 GOAL_CPU_PER_TARGET),
             "|---|---:|---:|---:|---|"]
    for row in result["rows"]:
        lines.append("| {tree} | {wall_s:.1f} s | {cpu_s:.1f} s | {cpu_per_target:.2f} s | {0} |".format(
            "yes" if row["within_goal"] else "NO", **row))
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=4)
    parser.add_argument("--before", help="a git ref to measure beside this tree")
    options = parser.parse_args()
    print(markdown(run(options.targets, options.before)))
