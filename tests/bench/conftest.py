import statistics
import time

import pytest


class Bench:
    """Times a callable; reports median and p95 and checks them against a target (milliseconds)."""

    results: list[str] = []

    def __call__(self, name: str, fn, *, runs: int = 30, warmup: int = 3, p95_ms: float) -> dict:
        for _ in range(warmup):
            fn()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        result = {
            "name": name,
            "median_ms": statistics.median(samples),
            "p95_ms": samples[max(0, int(len(samples) * 0.95) - 1)],
        }
        line = f"{name:<50} median {result['median_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms   (target p95 < {p95_ms} ms)"
        Bench.results.append(line)
        assert result["p95_ms"] < p95_ms, line
        return result


@pytest.fixture
def bench():
    return Bench()


def pytest_terminal_summary(terminalreporter):
    if Bench.results:
        terminalreporter.write_sep("=", "benchmarks")
        for line in Bench.results:
            terminalreporter.write_line(line)
