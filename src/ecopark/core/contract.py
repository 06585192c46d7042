"""The JSON contract of `assess --json` and `verify --json` (documented in docs/json-contract.md).

Other tools and users' scripts depend on these shapes: keys are only ever added, never renamed.
`quality` (the data-quality findings touching an indicator) is asked for: the commands add it,
the API's assessment leaves it out.
"""

from __future__ import annotations

from typing import Any

from ecopark.core.dataset.inventory import InventoryResult, Line
from ecopark.core.evaluate import Evaluation
from ecopark.core.quality import findings_json, indicator_findings
from ecopark.core.results import IndicatorResult
from ecopark.core.verdict import Verdict
from ecopark.core.verify import Finding, Verification

__all__ = ["assessment_json", "inventory_json", "quality_json", "settings_json", "verdict_json",
           "verification_json"]

CONTRACT_VERSION = 1


def _result(result: IndicatorResult, selected: frozenset[int]) -> dict[str, Any]:
    ind = result.indicator
    return {
        "number": ind.number,
        "id": ind.id,
        "name_zh": ind.name_zh,
        "name_en": ind.name_en,
        "category": ind.category,
        "value": result.value,
        "unit": ind.unit,
        "decimals": ind.decimals,
        "status": result.status.value,
        "reason_zh": result.reason_zh,
        "reason_en": result.reason_en,
        "requirement": {"rule": result.rule, "text_zh": ind.requirement.text_zh,
                        "text_en": ind.requirement.text_en},
        "mandatory": ind.mandatory,
        "group": ind.group,
        "selected": ind.number in selected if ind.group else None,
        "missing": None if result.missing is None else
        {"item": result.missing[0], "year": result.missing[1]},
        "warnings": [{"message_zh": zh, "message_en": en} for zh, en in result.warnings],
        "trace": None if result.trace is None else result.trace.to_dict(),
        "guidance": ind.guidance,
        "exemptible": ind.exemptible,
        "companions": [{"id": c.id, "name_zh": c.name_zh, "name_en": c.name_en, "unit": c.unit,
                        "decimals": c.decimals, "value": c.value, "reason_zh": c.reason_zh,
                        "reason_en": c.reason_en,
                        "trace": None if c.trace is None else c.trace.to_dict()}
                       for c in result.companions],
    }


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "passed": verdict.passed,
        "status": verdict.status.value,
        "reasons": [reason.to_dict() for reason in verdict.reasons],
        "groups": [{"id": g.id, "name_zh": g.name_zh, "name_en": g.name_en,
                    "members": list(g.members), "met": list(g.met), "selected": list(g.selected),
                    "min_met": g.min_met} for g in verdict.groups],
        "kind": verdict.kind,
        "gates": [{"id": g.id, "name_zh": g.name_zh, "name_en": g.name_en, "met": g.met,
                   "evidence": g.evidence, "source": g.source} for g in verdict.gates],
        "guidance": [{"number": g.number, "status": g.status.value, "reason_zh": g.reason_zh,
                      "reason_en": g.reason_en} for g in verdict.guidance],
    }


def assessment_json(evaluation: Evaluation, *, quality: bool = False) -> dict[str, Any]:
    """An assessment; with `quality`, the findings touching its indicators too."""
    profile = evaluation.dataset.profile
    out = {
        "contract": CONTRACT_VERSION,
        "framework": evaluation.framework.id,
        "framework_version": evaluation.framework.spec.version,
        "park": profile.name,
        "year": evaluation.year,
        "base_year": profile.base_year,
        "profile": profile.fields,
        "indicators": [_result(r, profile.selected) for r in evaluation.results],
        "verdict": verdict_json(evaluation.verdict),
        "framework_status": evaluation.framework.spec.status,
        "settings": settings_json(evaluation),
        "inventory": {str(year): inventory_json(result)
                      for year, result in evaluation.dataset.inventory.items()},
    }
    return {**out, "quality": quality_json(evaluation)} if quality else out


def quality_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The data-quality findings that touch an indicator of the evaluation."""
    return findings_json(indicator_findings(evaluation))


def settings_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Every setting of the framework with the value used and where it comes from."""
    out = []
    for name, setting in evaluation.framework.spec.settings.items():
        chosen = evaluation.dataset.settings.get(name)
        out.append({"id": name, "name_zh": setting.name_zh, "name_en": setting.name_en,
                    "type": setting.type, "unit": setting.unit, "default": setting.default,
                    "value": setting.default if chosen is None else chosen.value,
                    "origin": "default" if chosen is None else chosen.origin,
                    "note": "" if chosen is None else chosen.note, "source": setting.source})
    return out


def inventory_json(result: InventoryResult) -> dict[str, Any]:
    """An inventory (one park-year) as JSON."""
    return {"method": result.method_id, "method_version": result.method_version,
            "year": result.year, "co2": _line(result.co2), "energy": _line(result.energy),
            "memo": [_line(m) for m in result.memo], "quantities": result.quantities,
            "parameters": result.parameters,
            "warnings": [{"message_zh": w.zh, "message_en": w.en,
                          "quantities": list(w.quantities)} for w in result.warnings]}


def _line(line: Line) -> dict[str, Any]:
    out: dict[str, Any] = {"key": line.key, "name_zh": line.zh, "name_en": line.en,
                           "value": line.value, "unit": line.unit}
    if line.how:
        out["how"] = line.how
    if line.source:
        out["source"] = line.source
    if line.children:
        out["children"] = [_line(child) for child in line.children]
    return out


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "number": finding.number,
        "kind": finding.kind,
        "severity": finding.severity,
        "reported": finding.reported,
        "computed": finding.computed,
        "item": finding.item,
        "message_zh": finding.zh,
        "message_en": finding.en,
    }


def verification_json(verification: Verification, *, quality: bool = False) -> dict[str, Any]:
    """A verification; with `quality`, the findings touching the indicators too."""
    evaluation = verification.evaluation
    printed = verification.printed_verdict
    out = {
        "contract": CONTRACT_VERSION,
        "framework": evaluation.framework.id,
        "park": evaluation.dataset.profile.name,
        "year": evaluation.year,
        "findings": [_finding(f) for f in verification.findings],
        "verdict": verdict_json(evaluation.verdict),
        "printed_verdict": None if printed is None else verdict_json(printed),
        "settings": settings_json(evaluation),
    }
    return {**out, "quality": quality_json(evaluation)} if quality else out
