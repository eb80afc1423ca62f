"""The library's import graph has no cycle: no module imports itself through the modules it imports.

grimp reads every import statement, including those inside functions: a function-level import
runs when the function does, so a cycle through one is a real cycle that only shows later, and
counts. Imports under ``if TYPE_CHECKING:`` never run and do not count.
"""

from __future__ import annotations

import grimp

PACKAGE = "mlops_unity_pipeline"


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


def test_no_module_of_the_library_imports_itself_through_others() -> None:
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None)
    assert len(graph.modules) > 100  # the whole library was read
    assert import_cycles(graph) == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path, monkeypatch) -> None:
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def late():\n    from . import c\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nfrom .a import *\nif TYPE_CHECKING:\n    from . import b\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclic", exclude_type_checking_imports=True, cache_dir=None)
    assert import_cycles(graph) == ["cyclic.a -> cyclic.b -> cyclic.c -> cyclic.a"]
