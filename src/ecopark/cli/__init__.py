"""The `ecopark` command. Only this package imports the CLI library; all work is in the core.

Each module registers its commands on the one `app` of `ecopark.cli.common`.
"""

from ecopark.cli import accounting, analysis, core, io, reports, store
from ecopark.cli.common import app

__all__ = ["app", "main"]

_COMMAND_MODULES = (core, analysis, io, reports, store, accounting)


def main() -> None:
    app(prog_name="ecopark")
