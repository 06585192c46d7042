"""Background work (reports, batch verification, bulk imports; e-mail later) on a queue
(huey): a job is asked for with `JobQueue.start`, runs in worker threads (in the server, or in
`ecopark worker`), reports its progress to the `jobs` table and leaves its result file there.

    records.py   the jobs table: idempotent ids, state, progress, result, clean-up
    kinds.py     what a job can do: one registered function per kind (the reports)
    editions.py  the report of an approved edition, from its snapshot, the same bytes each run
    email.py     the kind `email`: a notification sent through the SMTP server
    verify_batch.py  printed tables verified in a batch, listed worst first
    import_bulk.py   dataset files imported into their parks, each all-or-nothing
    bundle.py    the several files (or one zip) a batch job works on, checked for zip bombs
    queue.py     huey set up from the settings; running a job, its retries
"""

from ecopark.jobs import editions, email, import_bulk, verify_batch  # noqa: F401  (register their kinds)
from ecopark.jobs.kinds import KINDS, Work, kind
from ecopark.jobs.queue import JobQueue, mode_of
from ecopark.jobs.records import find

__all__ = ["KINDS", "JobQueue", "Work", "email", "find", "kind", "mode_of"]
