"""What every benchmark shares: its command line, the machine it ran on, and its section of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BENCHMARKS_DOC = REPO / "docs" / "benchmarks.md"


def machine() -> str:
    """CPU model, core count, Python version and the load average when the benchmark started."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load average at start {load}"


def write_section(section: str, title: str, path: Path = BENCHMARKS_DOC) -> None:
    """Replace (or add) the section headed ``title`` in ``path``, leaving the others as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = section.rstrip("\n") + "\n\n"
    if title in text:
        begin = text.index(title)
        end = text.find("\n## ", begin + len(title))
        text = text[:begin] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def bench_arguments(doc: str) -> argparse.ArgumentParser:
    """A benchmark's command line: its docstring's first paragraph as the description, and ``--write-docs``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--write-docs", action="store_true", help="put the section in docs/benchmarks.md too")
    return parser


def publish(section: str, title: str, write_docs: bool) -> None:
    """Print a benchmark's section; with ``write_docs``, it also replaces the section headed ``title``."""
    print(section)
    if write_docs:
        write_section(section, title)
