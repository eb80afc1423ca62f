"""The file registry: layout and metadata, the quality gate, aliases, look-ups and promotion."""

from __future__ import annotations

import json

import pytest

from mlops_unity_pipeline.codegen.manifest import sha256_file
from mlops_unity_pipeline.registry import FileRegistry, RegistryError, register_model
from mlops_unity_pipeline.registry.file_registry import default_root
from mlops_unity_pipeline.registry.quality_gate import GateSettings


def test_a_version_holds_the_model_its_spec_and_complete_metadata(tmp_path, make_run):
    args = make_run("job-1", mean_reward=5.0)
    registration = register_model(**args, registry_dir=tmp_path / "reg", out=tmp_path / "out")

    version = FileRegistry(tmp_path / "reg").get("reacher", 1)
    assert registration.uri == version.uri == (tmp_path / "reg" / "reacher" / "versions" / "1").as_uri()
    assert registration.reference == "reacher@1" and version.aliases == ("champion",)
    assert sorted(p.name for p in version.path.iterdir()) == ["behavior.json", "metadata.json", "model.onnx"]
    meta = version.metadata
    manifest = json.loads((args["generated"] / "manifest.json").read_text())
    assert meta["job_id"] == "job-1" and meta["version"] == 1 and meta["behavior_name"] == "Reacher"
    assert meta["spec_sha256"] == manifest["inputs_sha256"]
    assert meta["behavior_sha256"] == sha256_file(args["generated"] / "behavior.json")
    assert meta["trainer_config"]["behaviors"]["Reacher"]["max_steps"] == 3000
    assert meta["training_metrics"] == {"final_mean_reward": 5.0, "steps": 1000}
    assert meta["evaluation_metrics"]["mean_reward"] == 5.0 and meta["evaluation_metrics"]["success_rate"] == 0.5
    assert meta["files"] == {"model.onnx": sha256_file(args["model"]), "behavior.json": meta["behavior_sha256"]}
    assert meta["lineage"]["run_dir"] == str(args["model"].parent.parent)
    assert meta["created_at"].endswith("Z")
    assert meta["quality_gate"] == {
        "metric": "mean_reward",
        "margin": 0.0,
        "candidate": 5.0,
        "champion": None,
        "champion_version": None,
        "promoted": True,
        "reason": "no champion yet",
        "awaiting_approval": False,
        "method": "no champion",
        "floors": {},
        "paired": None,
    }
    written = json.loads((tmp_path / "out" / "registration.json").read_text())
    assert written["uri"] == version.uri and written["backend"] == "file"
    assert FileRegistry(tmp_path / "reg").verify("reacher") == []


def test_the_quality_gate_promotes_only_a_clear_improvement(tmp_path, make_run):
    registry = FileRegistry(tmp_path)
    register_model(**make_run("a", 10.0, seed=1), registry_dir=tmp_path, gate=GateSettings(margin=1.0))
    held = register_model(**make_run("b", 10.5, seed=2), registry_dir=tmp_path, gate=GateSettings(margin=1.0))
    promoted = register_model(**make_run("c", 11.5, seed=3), registry_dir=tmp_path, gate=GateSettings(margin=1.0))

    assert not held.promoted and held.aliases == ()
    assert held.quality_gate["candidate"] == 10.5 and held.quality_gate["champion"] == 10.0
    assert held.quality_gate["champion_version"] == "1" and held.quality_gate["margin"] == 1.0
    assert promoted.promoted and promoted.quality_gate["champion"] == 10.0
    assert [v.version for v in registry.versions("reacher")] == [1, 2, 3]
    assert registry.get("reacher", "champion").version == 3
    assert registry.get("reacher", 2).metadata["quality_gate"]["promoted"] is False
    assert [(h["alias"], h["version"], h["previous"]) for h in registry.alias_history("reacher")] == [
        ("champion", 1, None),
        ("champion", 3, 1),
    ]


def test_user_aliases_move_to_the_newest_version_and_bad_ones_are_refused(tmp_path, make_run):
    registry = FileRegistry(tmp_path)
    register_model(**make_run("a", 3.0, seed=1), registry_dir=tmp_path, aliases=["staging"])
    register_model(**make_run("b", 1.0, seed=2), registry_dir=tmp_path, aliases=["staging", "canary"])
    assert registry.get("reacher", "staging").version == 2
    assert registry.get("reacher", 1).aliases == ("champion",)
    assert registry.get("reacher", 2).aliases == ("canary", "staging")
    for bad in ("champion", "default", "latest", "Upper", "x", "ends-"):
        with pytest.raises(RegistryError, match="alias"):
            register_model(**make_run(f"bad-{bad}", 1.0), registry_dir=tmp_path, aliases=[bad])
    assert len(registry.versions("reacher")) == 2


def test_lookups_by_number_alias_and_latest_and_clear_misses(tmp_path, make_run):
    registry = FileRegistry(tmp_path)
    register_model(**make_run("a", 2.0, seed=1), registry_dir=tmp_path)
    register_model(**make_run("b", 1.0, seed=2), registry_dir=tmp_path)
    assert registry.get("reacher").version == 2
    assert registry.get("reacher", "latest").version == 2
    assert registry.get("reacher", "champion").version == 1
    assert registry.models() == ["reacher"]
    with pytest.raises(RegistryError, match=r"no version '7'; versions: 1, 2; aliases: champion"):
        registry.get("reacher", 7)
    with pytest.raises(RegistryError, match="has no versions"):
        registry.get("walker")
    with pytest.raises(RegistryError, match="model name"):
        registry.get("../escape")


def test_promotion_by_hand_moves_the_champion_and_is_logged(tmp_path, make_run):
    registry = FileRegistry(tmp_path)
    register_model(**make_run("a", 9.0, seed=1), registry_dir=tmp_path)
    register_model(**make_run("b", 1.0, seed=2), registry_dir=tmp_path)
    version = registry.promote("reacher", 2, reason="rollback test")
    assert version.aliases == ("champion",) and registry.get("reacher", 1).aliases == ()
    assert registry.alias_history("reacher")[-1]["reason"] == "rollback test"
    assert registry.promote("reacher", "1", alias="stable").aliases == ("stable",)


def test_inputs_that_do_not_belong_together_are_refused(tmp_path, make_run):
    first, second = make_run("a", 1.0, seed=1), make_run("b", 2.0, seed=2)
    with pytest.raises(RegistryError, match="evaluation is of a model with sha256"):
        register_model(**{**first, "evaluation": second["evaluation"]}, registry_dir=tmp_path)
    (first["training"] / "metrics.json").unlink()
    with pytest.raises(RegistryError, match="metrics.json: file not found; run the train stage first"):
        register_model(**first, registry_dir=tmp_path)
    with pytest.raises(RegistryError, match="champion margin -1"):
        register_model(**second, registry_dir=tmp_path, gate=GateSettings(margin=-1))
    assert not (tmp_path / "reacher" / "versions").exists()


def test_default_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MLOPS_REGISTRY_DIR", str(tmp_path / "explicit"))
    assert default_root() == tmp_path / "explicit"
    monkeypatch.delenv("MLOPS_REGISTRY_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_root() == tmp_path / "xdg" / "unity-mlops" / "registry"


def test_without_auto_promotion_the_gate_decision_waits_for_an_approval(tmp_path, make_run):
    registry = FileRegistry(tmp_path)
    first = register_model(**make_run("a", 10.0, seed=1), registry_dir=tmp_path, auto_promote=False)
    assert first.quality_gate["promoted"] and first.quality_gate["awaiting_approval"]
    assert not first.promoted
    assert "champion" not in registry.get("reacher", 1).aliases
    registry.promote("reacher", 1, reason="approved")
    assert "champion" in registry.get("reacher", "champion").aliases
