"""UnityMLOpsOrchestrator end to end: real stages (codegen, stand-in build, mlagents-learn,
evaluation, registry) on small budgets; only Vertex AI is fake, answered over HTTP on 127.0.0.1
to the real aiplatform client (the ``vertex`` fixture), with Cloud Storage on the real local emulator.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable

import pytest
from google.auth.credentials import AnonymousCredentials

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, UnityAssetSpec, UnityMLOpsOrchestrator
from mlops_unity_pipeline.observability.webhooks import SIGNATURE_HEADER, verify_signature
from tests.conftest import TINY_RL
from tests.observability.test_webhooks import Receiver

pytestmark = pytest.mark.trainer


def small_job(job_id: str) -> TrainingJob:
    """The seed's SimpleAgent with the tests' small PPO config: a policy to evaluate and register, not a good one."""
    asset = UnityAssetSpec(
        asset_id="test-001", name="SimpleAgent", description="Reach target position while avoiding obstacles"
    )
    return TrainingJob(job_id=job_id, asset_spec=asset, rl_config=RLTrainingConfig(**TINY_RL))


def orchestrator(tmp_path, **options) -> UnityMLOpsOrchestrator:
    return UnityMLOpsOrchestrator(
        work_dir=tmp_path / "work", registry_dir=tmp_path / "registry", eval_episodes=4, **options
    )


def longest_sleep_overshoot_in_a_thread(stop: threading.Event) -> Callable[[], float]:
    """A thread that sleeps 50 ms at a time and records its longest gap: how late the machine
    wakes any thread of this process, a reference that a stall of the event loop does not move."""
    gaps = [0.0]

    def sleeper() -> None:
        last = time.monotonic()
        while not stop.is_set():
            time.sleep(0.05)
            now = time.monotonic()
            gaps[0] = max(gaps[0], now - last)
            last = now

    thread = threading.Thread(target=sleeper, daemon=True)
    thread.start()

    def longest() -> float:
        thread.join()
        return gaps[0]

    return longest


def test_two_jobs_at_once_share_nothing_and_the_loop_stays_responsive(tmp_path):
    """Stages run off the event loop: its longest gap stays near a plain thread's, whatever the
    machine's load (a stage run on the loop would stall it for the seconds the stage takes)."""
    runner = orchestrator(tmp_path)
    gaps: list[float] = []
    stop_reference = threading.Event()
    reference_gap = longest_sleep_overshoot_in_a_thread(stop_reference)

    async def ticker(stop: asyncio.Event) -> None:
        last = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(0.05)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    async def main():
        stop = asyncio.Event()
        tick = asyncio.create_task(ticker(stop))
        results = await asyncio.gather(
            runner.execute_training_job(small_job("job-a")), runner.execute_training_job(small_job("job-b"))
        )
        stop.set()
        await tick
        return results

    try:
        first, second = asyncio.run(main())
    finally:
        stop_reference.set()
    assert (first.status, second.status) == ("succeeded", "succeeded"), (first.error, second.error)
    assert first.run_dir != second.run_dir
    assert {first.model_uri, second.model_uri} == {
        f"file://{tmp_path / 'registry'}/SimpleAgent/versions/1",
        f"file://{tmp_path / 'registry'}/SimpleAgent/versions/2",
    }
    allowed = 1.0 + 2 * reference_gap()
    assert max(gaps) < allowed, (
        f"the event loop stalled for {max(gaps):.2f}s (a thread's longest gap allows {allowed:.2f}s)"
    )
    for result in (first, second):
        assert set(result.stage_durations_s) == {"codegen", "build", "train", "evaluate", "register"}
        saved = json.loads(result.metrics_path.read_text())
        assert saved["status"] == "succeeded" and saved["metrics"]["steps"] == TINY_RL["max_steps"]
        assert saved["eval_metrics"]["episodes"] == 4
        for folder in (result.generated_dir, result.build_dir, result.training_dir):
            assert folder.is_dir()
        assert "succeeded" in str(result) and str(result.run_dir) in str(result)


def test_a_failing_stage_is_named_its_artifacts_stay_and_webhooks_report_it(tmp_path, monkeypatch):
    monkeypatch.delenv("UNITY_BUILD_COMMAND", raising=False)
    monkeypatch.delenv("UNITY_EDITOR_PATH", raising=False)
    receiver = Receiver()
    try:
        runner = orchestrator(tmp_path, build_backend="unity", webhook_url=receiver.url, webhook_secret="k")
        result = asyncio.run(runner.execute_training_job(small_job("broken")))
        runner.close()
    finally:
        receiver.close()
    assert result.status == "failed" and result.failed_stage == "build"
    assert "Unity" in result.error
    assert (result.generated_dir / "behavior.json").exists(), "codegen's output stays"
    assert json.loads(result.metrics_path.read_text())["failed_stage"] == "build"
    events = [document["event"] for document, _, _ in receiver.received]
    assert events == ["job_started", "stage_finished", "job_failed"]
    for _, body, headers in receiver.received:
        assert verify_signature(body, "k", headers[SIGNATURE_HEADER])


def test_with_vertex_configured_the_model_uri_is_a_vertex_resource_name(tmp_path, vertex, gcs_bucket):
    _, server = vertex
    runner = orchestrator(
        tmp_path,
        vertex_project="test-project",
        vertex_region="us-central1",
        staging_bucket=f"gs://{gcs_bucket.name}/models",
        vertex_credentials=AnonymousCredentials(),
    )
    result = asyncio.run(runner.execute_training_job(small_job("vertex-job")))
    assert result.status == "succeeded", result.error
    assert result.model_uri == "projects/test-project/locations/us-central1/models/simpleagent@1"
    (request,) = server.requests("UploadModel")
    assert request.model.labels["job_id"] == "vertex-job"
    assert request.model.artifact_uri.startswith(f"gs://{gcs_bucket.name}/models/")
    assert not (tmp_path / "registry").exists(), "nothing goes to the file registry when Vertex is configured"
