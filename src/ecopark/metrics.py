"""The process's Prometheus metrics (prometheus_client), in one neutral module that the web app,
the background jobs and any worker process may import (it imports nothing of ecopark):

    ecopark_http_requests_total{method, route, status}      counter
    ecopark_http_request_seconds{method, route}             histogram
    ecopark_http_requests_in_flight                         gauge
    ecopark_database_busy_total                             counter (503 "busy, retry later")
    ecopark_jobs_total{kind, outcome}                       counter (outcome: done, failed, retried)
    ecopark_jobs_running{kind}                              gauge
    ecopark_job_seconds{kind}                               histogram

`route` is the route's template (/parks/{park_id}), never the path itself, so the number of
series stays bounded; a path no route matched is "(unmatched)".

The jobs package reports through `job_started(kind)` and `job_finished(kind, outcome,
seconds)` (or `with job_timer(kind):`).

Several worker processes: when PROMETHEUS_MULTIPROC_DIR is set before this module is first
imported (`ecopark serve --workers N` sets it), every process writes its values there and
`exposition()` sums them (gauges: over the live processes).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

__all__ = ["DATABASE_BUSY", "IN_FLIGHT", "JOBS", "JOBS_RUNNING", "JOB_SECONDS", "LATENCY",
           "REQUESTS", "exposition", "job_finished", "job_started", "job_timer",
           "process_exited"]

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter("ecopark_http_requests", "HTTP requests answered, by route template and "
                   "status", ["method", "route", "status"])
LATENCY = Histogram("ecopark_http_request_seconds", "time to answer an HTTP request (to the "
                    "last byte), by route template", ["method", "route"], buckets=_BUCKETS)
IN_FLIGHT = Gauge("ecopark_http_requests_in_flight", "HTTP requests being answered now",
                  multiprocess_mode="livesum")
DATABASE_BUSY = Counter("ecopark_database_busy", "requests refused with 503 because the "
                        "database stayed busy past its wait limit")
JOBS = Counter("ecopark_jobs", "background jobs finished, by kind and outcome",
               ["kind", "outcome"])
JOBS_RUNNING = Gauge("ecopark_jobs_running", "background jobs running now, by kind", ["kind"],
                     multiprocess_mode="livesum")
JOB_SECONDS = Histogram("ecopark_job_seconds", "time a background job ran, by kind", ["kind"],
                        buckets=(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0))

_OUTCOMES = frozenset({"done", "failed", "retried"})


def job_started(kind: str) -> None:
    JOBS_RUNNING.labels(kind).inc()


def job_finished(kind: str, outcome: str, seconds: float) -> None:
    """A job of `kind` ended: outcome "done", "failed" or "retried" (to run again)."""
    if outcome not in _OUTCOMES:
        raise ValueError(f"outcome {outcome!r} is not one of {sorted(_OUTCOMES)}")
    JOBS_RUNNING.labels(kind).dec()
    JOBS.labels(kind, outcome).inc()
    JOB_SECONDS.labels(kind).observe(seconds)


@contextmanager
def job_timer(kind: str) -> Iterator[None]:
    """Count a job run: done when the block ends, failed when it raises (and re-raise)."""
    job_started(kind)
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        job_finished(kind, "failed", time.perf_counter() - started)
        raise
    job_finished(kind, "done", time.perf_counter() - started)


def _shared_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus's text format, and its content type: this process's, or every
    worker's summed in multi-process mode."""
    if _shared_dir() is None:
        return generate_latest(), CONTENT_TYPE_LATEST
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry), CONTENT_TYPE_LATEST


def process_exited() -> None:
    """A worker stops: its live gauges stop counting (multi-process mode)."""
    if _shared_dir() is not None:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
