"""The library's import graph has no cycle, and its sub-packages keep to their layers.

No module imports itself through the modules it imports; no sub-package (or top-level module)
does either, counting an import of any module of a sub-package as an import of the sub-package;
and each imports only from its own layer or those below it (:data:`LAYERS`, described in the
package's docstring): a part never imports one that builds on it, so each can be read, tested
and changed from the ones below it.

grimp reads every import statement, including those inside functions: a function-level import
runs when the function does, so a cycle through one is a real cycle that only shows later, and
counts. Imports under ``if TYPE_CHECKING:`` never run and do not count.
"""

from __future__ import annotations

import grimp

PACKAGE = "mlops_unity_pipeline"
#: The package's layers, top first (see its docstring). Within a layer the parts may import each other.
LAYERS = (
    ("__main__", "cli"),
    ("scheduler", "deploy", "serving", "control_plane", "demos"),
    ("orchestrator",),
    ("settings",),
    ("train", "evaluate"),
    ("seeds",),
    ("registry",),
    ("codegen", "build"),
    (
        "specs",
        "player_spec",
        "onnx_policy",
        "evaluation_report",
        "results",
        "layouts",
        "stage_outputs",
        "trainer_defaults",
    ),
    (
        "trainer_env",
        "ports",
        "gcs",
        "standin",
        "kfp_executor_input",
        "kfp_executor_output",
        "observability",
        "output_folder",
    ),
    (
        "behavior",
        "errors",
        "documents",
        "validation",
        "cron",
        "clock",
        "deadline",
        "process_tree",
        "google_endpoints",
        "pipeline_root",
    ),
)


def import_cycles(graph: grimp.ImportGraph) -> list[str]:
    """Each cycle once, as ``a -> b -> ... -> a``, found from every import whose target leads back to its importer."""
    cycles: dict[frozenset[str], str] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                chain = (importer, *back)
                cycles.setdefault(frozenset(chain), " -> ".join(chain))
    return sorted(cycles.values())


def squash_sub_packages(graph: grimp.ImportGraph, package: str) -> grimp.ImportGraph:
    """``graph`` with each sub-package of ``package`` squashed into one node that holds all its imports
    (less those between its own modules, which squashed become an import of itself)."""
    for child in sorted(graph.find_children(package)):
        if graph.find_children(child):
            graph.squash_module(child)
            if graph.direct_import_exists(importer=child, imported=child):
                graph.remove_import(importer=child, imported=child)
    return graph


def library_graph() -> grimp.ImportGraph:
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None)
    assert len(graph.modules) > 100  # the whole library was read
    return graph


def test_no_module_of_the_library_imports_itself_through_others() -> None:
    assert import_cycles(library_graph()) == []


def test_no_sub_package_of_the_library_imports_itself_through_others() -> None:
    graph = squash_sub_packages(library_graph(), PACKAGE)
    assert {f"{PACKAGE}.registry", f"{PACKAGE}.evaluate", f"{PACKAGE}.gcs"} <= graph.modules
    assert import_cycles(graph) == []


def upward_imports(graph: grimp.ImportGraph, package: str, layers: tuple[tuple[str, ...], ...]) -> list[str]:
    """Each import of a part of ``package`` from a part in a lower layer, as ``lower -> higher: a -> b, ...``."""
    found = graph.find_illegal_dependencies_for_layers(
        [grimp.Layer(*layer, independent=False) for layer in layers], containers={package}
    )
    return sorted(
        f"{dependency.importer} -> {dependency.imported}: "
        + ", ".join(
            f"{' | '.join(sorted(route.heads))} -> {' | '.join(sorted(route.tails))}" for route in dependency.routes
        )
        for dependency in found
    )


def test_every_part_of_the_library_imports_only_from_its_own_layer_or_below() -> None:
    graph = library_graph()
    parts = {module.split(".")[1] for module in graph.modules if module != PACKAGE}
    layered = {part for layer in LAYERS for part in layer}
    assert layered <= parts  # every layer names parts that exist
    assert upward_imports(graph, PACKAGE, LAYERS) == []


def write_package(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_cycle_through_a_function_level_import_is_found(tmp_path, monkeypatch) -> None:
    write_package(
        tmp_path,
        {
            "cyclic/__init__.py": "",
            "cyclic/a.py": "from . import b\n",
            "cyclic/b.py": "def late():\n    from . import c\n",
            "cyclic/c.py": "from typing import TYPE_CHECKING\nfrom .a import *\nif TYPE_CHECKING:\n    from . import b\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclic", exclude_type_checking_imports=True, cache_dir=None)
    assert import_cycles(graph) == ["cyclic.a -> cyclic.b -> cyclic.c -> cyclic.a"]


def test_a_cycle_between_sub_packages_is_found_where_their_modules_have_none(tmp_path, monkeypatch) -> None:
    write_package(
        tmp_path,
        {
            "layered/__init__.py": "",
            "layered/shared.py": "",
            "layered/low/__init__.py": "",
            "layered/low/base.py": "from .. import shared\n",
            "layered/low/uses_high.py": "from ..high.leaf import *\n",
            "layered/high/__init__.py": "",
            "layered/high/leaf.py": "",
            "layered/high/stage.py": "from ..low.base import *\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("layered", exclude_type_checking_imports=True, cache_dir=None)
    assert import_cycles(graph) == []
    assert upward_imports(graph, "layered", (("high",), ("low",), ("shared",))) == [
        "layered.low -> layered.high: layered.low.uses_high -> layered.high.leaf"
    ]
    assert import_cycles(squash_sub_packages(graph, "layered")) == ["layered.high -> layered.low -> layered.high"]
