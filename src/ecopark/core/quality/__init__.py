"""Data-quality rules: named, versioned data (core/data/quality-rules.yaml) run over a dataset
(park level) or an enterprise roster (enterprise level: the roster is accounting's, which runs
them with `ecopark.accounting.roster_quality.check_roster` and registers the enterprise-level
field names, `rules.register_enterprise_fields`), and at the door of every write.

Each rule has a `kind`; each kind is one function (`check.PARK_KINDS`, `check.ENTERPRISE_KINDS`)
with its parameter model (`rules.PARAMS`) and the facts its message and fix may use
(`rules.PLACEHOLDERS`). A finding names its rule, version, place, the (item, year) cells and the
value it is about, why (the message) and the likely fix, and the indicators it touches.

Modules: `rules` (the file, its checks), `findings` (a finding), `series` (kinds over yearly
series), `values` (kinds over one value), `evaluated` (kinds over computed indicators), `check`
(running them), `screen` (the door: `screen` and `gate`).
"""

from ecopark.core.quality.check import check_dataset, indicator_findings
from ecopark.core.quality.findings import QualityFinding, findings_json, touching
from ecopark.core.quality.rules import CHECKS, PARAMS, RULES_FILE, RuleSet, RulesFile, load_rules
from ecopark.core.quality.screen import gate, screen

KINDS = tuple(PARAMS)

__all__ = ["CHECKS", "KINDS", "RULES_FILE", "QualityFinding", "RuleSet", "RulesFile",
           "check_dataset", "findings_json", "gate", "indicator_findings", "load_rules",
           "screen", "touching"]
