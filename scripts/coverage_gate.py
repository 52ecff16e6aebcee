"""Fail the test run when a critical module's line coverage drops below its floor.

`make test` measures line and branch coverage (coverage.py through pytest-cov, configured in
pyproject.toml [tool.coverage.*]) and then runs this. The floors are in pyproject.toml
[tool.sunshine.coverage]: `target` is what every critical module should reach (95 %), `floors` pins
the modules still below it at their measured level, so none can drop while they are raised.

    python scripts/coverage_gate.py            check .coverage against the floors
    python scripts/coverage_gate.py --show     also list each critical module's figures"""

import argparse
import fnmatch
import sys
import tomllib
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every critical module")
    parser.add_argument("--data-file", default=str(ROOT / ".coverage"))
    args = parser.parse_args()
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["sunshine"]
    gate = conf["coverage"]
    target = float(gate["target"])
    floors: dict[str, float] = gate.get("floors", {})

    if not Path(args.data_file).exists():
        print(f"coverage gate: no coverage data at {args.data_file}", file=sys.stderr)
        return 2
    cov = coverage.Coverage(data_file=args.data_file, config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    measured = {
        str(Path(f).resolve().relative_to(ROOT)): f for f in cov.get_data().measured_files()
    }
    critical = sorted(
        name
        for name in (
            str(p.relative_to(ROOT)) for pattern in gate["critical"] for p in ROOT.glob(pattern)
        )
        if not fnmatch.fnmatch(name, "*/migrations/*")
    )
    failures = []
    for name in critical:
        if name not in measured:
            failures.append(f"{name}: never imported by the tests")
            continue
        _f, statements, _excluded, missing, _text = cov.analysis2(measured[name])
        lines = 100.0 * (len(statements) - len(missing)) / len(statements) if statements else 100.0
        floor = float(floors.get(name, target))
        if args.show:
            mark = "" if lines >= target else f"  (below {target:.0f} %, floor {floor:.0f} %)"
            print(f"{name:50} {lines:6.1f} % of {len(statements):4d} lines{mark}")
        if lines + 1e-9 < floor:
            failures.append(f"{name}: {lines:.1f} % of lines covered, floor {floor:.1f} %")
    if failures:
        print("coverage gate: critical modules below their floor:", file=sys.stderr)
        for line in failures:
            print("  " + line, file=sys.stderr)
        return 1
    print(f"coverage gate: {len(critical)} critical modules at or above their floors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
