"""What both stand-in benchmarks share: the SimpleAgent player, machine facts, the docs section writer."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mlops_unity_pipeline import trainer_env
from mlops_unity_pipeline.build import build

SIMPLE_AGENT = REPO / "examples" / "simple_agent"


def simple_agent_player(scratch: Path) -> Path:
    """The seed's SimpleAgent through codegen and the standin build; returns the executable."""
    generated = scratch / "generated"
    subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", "codegen", "--asset-spec", str(SIMPLE_AGENT / "asset_spec.yaml"),
         "--rl-config", str(SIMPLE_AGENT / "rl_config.yaml"), "--out", str(generated)],
        check=True, capture_output=True, cwd=REPO,
    )
    return build(generated, scratch / "build", backend="standin", log=lambda _: None).executable


def require_trainer_env() -> trainer_env.TrainerEnv:
    env = trainer_env.locate()
    if env is None:
        sys.exit("no trainer environment is ready: run 'make trainer-env' first")
    return env


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        names = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, load average at start {load}"


def write_section(section: str, title: str, path: Path) -> None:
    """Replace (or add) the section headed ``title`` in ``path``, leaving the others as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = section.rstrip("\n") + "\n\n"
    if title in text:
        begin = text.index(title)
        end = text.find("\n## ", begin + len(title))
        text = text[:begin] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
