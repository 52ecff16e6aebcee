"""Mutation testing of the critical modules with cosmic-ray (`make mutation`; never part of `make test`).

The modules and the tests that guard each one are configured in pyproject.toml
([tool.sunshine.mutation]). For each module this copies the checkout to a scratch folder (cosmic-ray
edits the file it mutates in place, so the working tree is never touched), runs cosmic-ray there
with that module's tests, and prints the kill rate per module and the surviving mutants (operator,
line, the test command that let them live). Results are kept in .mutation/<module>.sqlite, so an
interrupted run continues where it stopped; `--fresh` starts again.

    python scripts/mutation.py                          every configured module
    python scripts/mutation.py portal/workdays.py       one module
    python scripts/mutation.py --jobs 2 --fresh ...     two modules at a time, from scratch

Exit status 1 when a module's kill rate is below the configured target."""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".mutation"


def settings() -> dict:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return conf["tool"]["sunshine"]["mutation"]


def copy_checkout(target: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            dest = target / name.decode()
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)


def run_module(module: str, tests: list[str], conf: dict, *, fresh: bool) -> dict:
    STATE.mkdir(exist_ok=True)
    session = STATE / (module.replace("/", "__") + ".sqlite")
    if fresh and session.exists():
        session.unlink()
    python = Path(sys.executable)
    test_command = " ".join(
        [str(python), "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:xdist", *tests]
    )
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        work = Path(scratch)
        copy_checkout(work)
        config = work / "cosmic-ray.toml"
        config.write_text(
            "[cosmic-ray]\n"
            f"module-path = {json.dumps(module)}\n"
            f"timeout = {float(conf.get('timeout', 300))}\n"
            "excluded-modules = []\n"
            f"test-command = {json.dumps(test_command)}\n"
            "[cosmic-ray.distributor]\n"
            'name = "local"\n',
            "utf-8",
        )
        cosmic_ray = str(python.parent / "cosmic-ray")
        if not session.exists():
            subprocess.run([cosmic_ray, "init", str(config), str(session)], cwd=work, check=True)
            # Skip what cannot be a behaviour: lines marked `# pragma: no mutate`.
            subprocess.run(
                [str(python.parent / "cr-filter-pragma"), str(session)], cwd=work, check=True
            )
        subprocess.run(
            [cosmic_ray, "exec", str(config), str(session)],
            cwd=work,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return summarise(module, session)


def summarise(module: str, session: Path) -> dict:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    killed = survived = incompetent = skipped = 0
    survivors = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                skipped += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                survived += 1
                m = item.mutations[0]
                survivors.append(f"{m.module_path}:{m.start_pos[0]} {m.operator_name}")
            elif result.test_outcome == TestOutcome.INCOMPETENT:
                incompetent += 1
            else:
                killed += 1
    counted = killed + survived
    return {
        "module": module,
        "killed": killed,
        "survived": survived,
        "incompetent": incompetent,
        "skipped": skipped,
        "rate": killed / counted if counted else 1.0,
        "survivors": survivors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all configured)")
    parser.add_argument("--jobs", type=int, default=1, help="modules mutated at the same time")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    args = parser.parse_args()
    conf = settings()
    configured: dict[str, list[str]] = conf["modules"]
    modules = args.modules or list(configured)
    unknown = [m for m in modules if m not in configured]
    if unknown:
        parser.error(f"not configured in [tool.sunshine.mutation.modules]: {', '.join(unknown)}")
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(
            pool.map(lambda m: run_module(m, configured[m], conf, fresh=args.fresh), modules)
        )
    target = float(conf.get("target", 0.9))
    print(f"\n{'module':48} {'killed':>7} {'survived':>9} {'rate':>7}")
    below = 0
    for r in results:
        flag = "" if r["rate"] >= target else "  < target"
        below += bool(flag)
        print(f"{r['module']:48} {r['killed']:7d} {r['survived']:9d} {r['rate']:7.1%}{flag}")
    total_killed = sum(r["killed"] for r in results)
    total = total_killed + sum(r["survived"] for r in results)
    print(
        f"{'all':48} {total_killed:7d} {total - total_killed:9d} {total_killed / max(total, 1):7.1%}"
    )
    for r in results:
        for line in r["survivors"]:
            print(f"  survived: {line}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
