"""The JSON contract of `assess --json` and `verify --json` (documented in docs/json-contract.md).

Other tools and users' scripts depend on these shapes: keys are only ever added, never renamed.
"""

from __future__ import annotations

from typing import Any

from ecopark.evaluate import Evaluation, IndicatorResult
from ecopark.verdict import Verdict
from ecopark.verify import Finding, Verification

__all__ = ["assessment_json", "verdict_json", "verification_json"]

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
    }


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "passed": verdict.passed,
        "status": verdict.status.value,
        "reasons": [reason.to_dict() for reason in verdict.reasons],
        "groups": [{"id": g.id, "name_zh": g.name_zh, "name_en": g.name_en,
                    "members": list(g.members), "met": list(g.met), "selected": list(g.selected),
                    "min_met": g.min_met} for g in verdict.groups],
    }


def assessment_json(evaluation: Evaluation) -> dict[str, Any]:
    profile = evaluation.dataset.profile
    return {
        "contract": CONTRACT_VERSION,
        "framework": evaluation.framework.id,
        "framework_version": evaluation.framework.spec.version,
        "park": profile.name,
        "year": evaluation.year,
        "base_year": profile.base_year,
        "profile": profile.fields,
        "indicators": [_result(r, profile.selected) for r in evaluation.results],
        "verdict": verdict_json(evaluation.verdict),
    }


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


def verification_json(verification: Verification) -> dict[str, Any]:
    evaluation = verification.evaluation
    printed = verification.printed_verdict
    return {
        "contract": CONTRACT_VERSION,
        "framework": evaluation.framework.id,
        "park": evaluation.dataset.profile.name,
        "year": evaluation.year,
        "findings": [_finding(f) for f in verification.findings],
        "verdict": verdict_json(evaluation.verdict),
        "printed_verdict": None if printed is None else verdict_json(printed),
    }
