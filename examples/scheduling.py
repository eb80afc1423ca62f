"""The setup guide's "Scheduling jobs (24/7)" example, exactly as written there.

It runs until SIGTERM or Ctrl-C, training PatrolAgent every night at 02:00 (UTC).
"""
import asyncio
from mlops_unity_pipeline import (
    RLTrainingConfig,
    TrainingSchedule,
    TrainingScheduler,
    UnityAssetSpec,
    UnityMLOpsOrchestrator,
)

async def run_forever():
    orchestrator = UnityMLOpsOrchestrator()
    scheduler = TrainingScheduler(orchestrator)

    schedule = TrainingSchedule(
        schedule_id="nightly",
        cron_expression="0 2 * * *",
        asset_specs=[
            UnityAssetSpec(
                asset_id="patrol-001",
                name="PatrolAgent",
                asset_type="behavior",
                description="Patrol between waypoints and avoid collisions",
            )
        ],
        rl_config=RLTrainingConfig(algorithm="PPO", max_steps=2_000_000, num_envs=16),
    )

    scheduler.add_schedule(schedule)
    await scheduler.run_forever()

asyncio.run(run_forever())
