"""The public surface: everything in ecopark.__all__ exists, and nothing else is promised."""

from __future__ import annotations

import ecopark


def test_public_names_exist() -> None:
    for name in ecopark.__all__:
        assert hasattr(ecopark, name), name


def test_public_surface_is_exactly_this() -> None:
    assert sorted(ecopark.__all__) == sorted([
        "Dataset", "DatasetError", "EcoparkError", "Evaluation", "Finding", "FormulaError",
        "Framework", "FrameworkError", "IndicatorResult", "InputFileError", "MissingData",
        "Observation", "Profile", "Status", "Trace", "UnitError", "UnknownFramework",
        "UnknownIndicator", "Verdict", "VerdictStatus", "Verification", "assessment_json",
        "available_frameworks", "dataset_json_schema", "evaluate", "load_dataset",
        "load_framework", "verification_json", "verify",
    ])


def test_core_never_imports_the_cli_or_terminal_libraries() -> None:
    from pathlib import Path

    src = Path(ecopark.__file__).parent
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        in_cli = path.parent.name == "cli"
        if not in_cli:
            assert "import typer" not in text, path
        if not in_cli:
            assert "from rich" not in text and "import rich" not in text, path
