"""Stage output layouts: each stage file name is written once, in the layout class that names it.

The names come from the layout classes themselves (every upper-case class attribute of
:mod:`mlops_unity_pipeline.layouts` that is a file name); the scan reads the package, components/,
pipelines/ and compile.py, leaving out docstrings and other bare strings (documentation).
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
from pathlib import Path

import pytest

import mlops_unity_pipeline
from mlops_unity_pipeline import layouts
from mlops_unity_pipeline.layouts import BuildLayout, RunLayout, TrainLayout

ROOT = Path(mlops_unity_pipeline.__file__).resolve().parent.parent


def layout_file_names() -> set[str]:
    """Every file name (a name with a dot) a layout class of :mod:`mlops_unity_pipeline.layouts` holds."""
    names = set()
    for _, cls in inspect.getmembers(layouts, inspect.isclass):
        if cls.__module__ == layouts.__name__:
            names |= {
                value for key, value in vars(cls).items() if key.isupper() and isinstance(value, str) and "." in value
            }
    return names


@functools.cache
def package_literals() -> tuple[tuple[str, int, str], ...]:
    """``(file, line, text)`` of every string literal of the package, components/, pipelines/ and compile.py."""
    files = [
        *(ROOT / "mlops_unity_pipeline").rglob("*.py"),
        *(ROOT / "components").rglob("*.py"),
        *(ROOT / "pipelines").rglob("*.py"),
        ROOT / "compile.py",
    ]
    return tuple(
        (str(path.relative_to(ROOT)), line, text) for path in sorted(files) for line, text in string_literals(path)
    )


def string_literals(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of each string constant in ``path`` (f-strings' constant parts included), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in bare
    ]


def name_pattern(name: str) -> re.Pattern[str]:
    """``name`` as a whole file name (``metrics.json`` is not found in ``eval_metrics.json``); a suffix
    such as ``.x86_64`` anywhere it ends a name."""
    before = "" if name.startswith(".") else r"(?<![\w.-])"
    return re.compile(before + re.escape(name) + r"(?![\w.-])")


def literal_occurrences(name: str) -> list[str]:
    pattern = name_pattern(name)
    return [f"{path}:{line}" for path, line, text in package_literals() if pattern.search(text)]


def test_the_layouts_name_the_files_every_stage_is_known_to_write():
    """A guard for the scan below: it must be looking at real names, not an empty set."""
    names = layout_file_names()
    assert {
        "manifest.json",
        "trainer_config.yaml",
        "behavior.json",
        "build_info.json",
        ".x86_64",
        "policy.onnx",
        "metrics.json",
        "report.html",
        "eval_metrics.json",
        "model.onnx",
        "metadata.json",
    } <= names


@pytest.mark.parametrize("name", sorted(layout_file_names()))
def test_a_stage_file_name_is_written_as_a_literal_only_where_it_is_defined(name):
    occurrences = literal_occurrences(name)
    assert len(occurrences) == 1, (
        f"{name!r} is written as a literal in {', '.join(occurrences) or 'no file'}; "
        "name it once in mlops_unity_pipeline/layouts.py and use the layout class everywhere else"
    )


def test_the_scan_finds_a_file_name_written_in_a_string_and_not_a_longer_name(tmp_path):
    source = tmp_path / "stage.py"
    source.write_text(
        '"""metrics.json in a docstring is fine."""\n'
        'path = out / "metrics.json"\nother = f"{out}/eval_metrics.json"\nplayer = f"{name}.x86_64"\n'
    )
    found = [
        (line, name)
        for line, text in string_literals(source)
        for name in ("metrics.json", ".x86_64")
        if name_pattern(name).search(text)
    ]
    assert found == [(2, "metrics.json"), (4, ".x86_64")]


def test_a_run_directory_holds_each_stage_folder_by_its_layout(tmp_path):
    run = RunLayout(tmp_path)
    assert run.training.policy_path == tmp_path / "training" / "policy.onnx"
    assert run.build.player("Reacher") == tmp_path / "build" / "Reacher.x86_64"
    assert run.evaluation.metrics_path == tmp_path / "evaluation" / "eval_metrics.json"
    assert TrainLayout(tmp_path).exported_policy("Reacher") == tmp_path / "results" / "run" / "Reacher.onnx"
    assert BuildLayout.player_name("Reacher") == "Reacher.x86_64"
