"""Rebuild examples/wujin-2018/wujin-2018.xlsx: the seed park's data in the fill-in workbook.

    .venv/bin/python scripts/make_example_workbook.py

The guide's workbook walk-through (docs/guide.zh.md, docs/guide.en.md) imports this file, so that
every step runs on a fresh clone. It is the template `ecopark template --years 2012,2015,2018`
writes, filled from examples/wujin-2018/dataset.yaml the way the web platform fills its "workbook
template with the stored data" download. What the template has no place for (the base-year note,
one value's own source, the printed base rows and text statements) is not in the workbook.

Timestamps inside the file are fixed so that a rebuild is byte-identical;
tests/test_docs.py fails when the committed file differs from a rebuild.
"""

from __future__ import annotations

import re
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
WORKBOOK = ROOT / "examples" / "wujin-2018" / "wujin-2018.xlsx"
ZIP_TIME = (2019, 5, 22, 0, 0, 0)  # the printed table's 填报时间
STAMP = b"2019-05-22T00:00:00Z"


def workbook_bytes() -> bytes:
    """The example workbook as a rebuild writes it."""
    from ecopark.core.dataset.schema import DatasetFile
    from ecopark.core.framework.loading import load_framework
    from ecopark.core.yamlfile import read_yaml
    from ecopark.io.prefill import write_filled_template

    spec = DatasetFile.model_validate(read_yaml(DATASET, floats_as_text=True))
    years = {y for series in spec.observations.values() for y in series.values}
    years |= {spec.park.base_year, *([spec.year] if spec.year else [])}
    with tempfile.TemporaryDirectory(prefix="ecopark-example-") as tmp:
        raw = Path(tmp) / "raw.xlsx"
        write_filled_template(load_framework(spec.framework), spec, sorted(years), raw)
        return _stable(raw)


def _stable(raw: Path) -> bytes:
    """The same workbook with fixed creation times (document properties and zip entries)."""
    out = Path(raw.parent) / "stable.xlsx"
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", STAMP, data)
            dest.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.read_bytes()


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    WORKBOOK.write_bytes(workbook_bytes())
    print(f"wrote {WORKBOOK.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
