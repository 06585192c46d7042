"""ecopark — evaluate industrial parks against eco-industrial park standards.

    from ecopark import load_framework, load_dataset, evaluate, verify
    framework = load_framework("hj274-2015")
    dataset = load_dataset("examples/wujin-2018/dataset.yaml", framework)
    evaluation = evaluate(framework, dataset)        # every indicator, trace, verdict
    findings = verify(evaluation).findings           # printed table vs recomputation

Importing `ecopark` (which any `ecopark.*` import does first) also registers what accounting
provides to the core (`ecopark.accounting.providers`): the inventory methods ecopark ships and
the enterprise-level fields of the data-quality rules. The core never imports accounting.
"""

from ecopark.accounting import providers
from ecopark.core.contract import assessment_json, verification_json
from ecopark.core.dataset.loading import load_dataset
from ecopark.core.dataset.model import Dataset, Observation
from ecopark.core.dataset.profile import Profile
from ecopark.core.dataset.schema import dataset_json_schema
from ecopark.core.errors import (
    DatasetError,
    EcoparkError,
    FormulaError,
    FrameworkError,
    InputFileError,
    MissingData,
    UnitError,
    UnknownFramework,
    UnknownIndicator,
)
from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.core.framework.loading import available_frameworks, load_framework
from ecopark.core.framework.model import Framework
from ecopark.core.results import IndicatorResult, Status
from ecopark.core.trace import Trace
from ecopark.core.verdict import Verdict, VerdictStatus
from ecopark.core.verify import Finding, Verification, verify
from ecopark.version import __version__ as __version__

providers.register()

__all__ = [
    "Dataset",
    "DatasetError",
    "EcoparkError",
    "Evaluation",
    "Finding",
    "FormulaError",
    "Framework",
    "FrameworkError",
    "IndicatorResult",
    "InputFileError",
    "MissingData",
    "Observation",
    "Profile",
    "Status",
    "Trace",
    "UnitError",
    "UnknownFramework",
    "UnknownIndicator",
    "Verdict",
    "VerdictStatus",
    "Verification",
    "assessment_json",
    "available_frameworks",
    "dataset_json_schema",
    "evaluate",
    "load_dataset",
    "load_framework",
    "verification_json",
    "verify",
]
