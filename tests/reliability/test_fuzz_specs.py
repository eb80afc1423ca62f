"""Fuzzing the inputs (hypothesis): every asset spec, RL config and schedule document either
validates and then generates code, or is refused with SpecValidationError; never another exception.

Documents are drawn near the schemas (right keys, values around and beyond their limits) with junk
mixed in (wrong types, NaN, unknown keys), which is where validation gaps hide.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_unity_pipeline import RLTrainingConfig, SpecValidationError, TrainingSchedule, UnityAssetSpec
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.documents import read_document

#: Each valid example writes a codegen output; these counts keep the module under a minute on two cores.
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SCHEDULES = settings(FUZZ, max_examples=100)

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def near(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a plausible value, sometimes junk."""
    return st.one_of(valid, valid, valid, junk)


def with_unknown_key(documents: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        documents,
        documents,
        documents,
        st.builds(lambda d, k: {**d, k: 1}, documents, st.sampled_from(["colour", "maxsteps", ""])),
    )


ids = st.one_of(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}", fullmatch=True),
    st.text(max_size=140),
    st.sampled_from(["job\n", "a" * 128, "a" * 129, "-x", ".", "ok"]),
)
names = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["Ägent", "Øgent", "gent", "class", "123", "simple agent #2", "Straße", "a" * 200, "Agent²"]),
)
plausible_assets = st.fixed_dictionaries(
    {
        "asset_id": st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True),
        "name": st.from_regex(r"[A-Za-z][A-Za-z0-9 _#-]{0,30}", fullmatch=True),
    },
    optional={
        "description": st.sampled_from(
            [
                "Reach target position while avoiding obstacles",
                "patrol between waypoints",
                "collect the coins",
                "avoid everything",
                "",
                "walk",
            ]
        ),
        "task": st.one_of(
            st.sampled_from(["reach", "avoid", "patrol", "collect"]),
            st.lists(st.sampled_from(["reach", "avoid", "patrol", "collect"]), min_size=1, max_size=2, unique=True),
        ),
        "observation_space": st.fixed_dictionaries(
            {},
            optional={
                "raycast": st.integers(1, 64),
                "velocity": st.sampled_from([2, 3]),
                "position": st.sampled_from([2, 3]),
                "target_direction": st.sampled_from([2, 3]),
            },
        ),
        "action_space": st.one_of(
            st.fixed_dictionaries({"type": st.just("continuous")}, optional={"size": st.integers(1, 4)}),
            st.fixed_dictionaries(
                {"type": st.just("discrete"), "branches": st.lists(st.integers(1, 5), min_size=1, max_size=3)}
            ),
        ),
        "max_episode_steps": st.integers(10, 2000),
        "tags": st.lists(st.text(max_size=10), max_size=2),
    },
)
meanings = st.sampled_from(["move_x", "move_z", "forward", "strafe", "turn", "move", "sprint", "noop", "-move_x", "up"])
asset_documents = st.one_of(
    plausible_assets,
    with_unknown_key(
        st.fixed_dictionaries(
            {"asset_id": near(ids), "name": near(names)},
            optional={
                "asset_type": near(st.just("behavior")),
                "description": near(
                    st.one_of(
                        st.text(max_size=120),
                        st.sampled_from(
                            [
                                "Reach target position while avoiding obstacles",
                                "patrol between waypoints",
                                "collect the coins",
                                "avoid everything",
                                "reach and collect",
                            ]
                        ),
                    )
                ),
                "task": near(
                    st.one_of(
                        st.sampled_from(["reach", "avoid", "patrol", "collect", "fly"]),
                        st.lists(st.sampled_from(["reach", "avoid", "patrol", "collect"]), max_size=4),
                    )
                ),
                "observation_space": near(
                    st.dictionaries(
                        st.sampled_from(["raycast", "velocity", "position", "target_direction", "heading", "sonar"]),
                        st.integers(-2, 80),
                        max_size=4,
                    )
                ),
                "action_space": near(
                    st.fixed_dictionaries(
                        {"type": near(st.sampled_from(["continuous", "discrete"]))},
                        optional={
                            "size": near(st.integers(-1, 9)),
                            "branches": near(st.lists(st.integers(-1, 7), max_size=4)),
                            "meanings": near(st.lists(meanings, max_size=4)),
                        },
                    )
                ),
                "max_episode_steps": near(st.integers(-5, 200_000)),
                "tags": near(st.lists(st.text(max_size=70), max_size=3)),
            },
        )
    ),
)

numbers = st.one_of(st.floats(-2, 1100), st.sampled_from([0.0, 1.0, 1e-9, 1e308, float("nan"), float("inf")]))
plausible_rl = st.fixed_dictionaries(
    {"max_steps": st.integers(2048, 10**6)},
    optional={
        "algorithm": st.sampled_from(["PPO", "POCA"]),
        "num_envs": st.integers(1, 8),
        "num_areas": st.integers(1, 32),
        "time_scale": st.floats(0.5, 100),
        "gamma": st.floats(0, 1),
        "time_horizon": st.integers(1, 500),
        "use_offline_rl": st.booleans(),
        "demonstrations_path": st.sampled_from(["demos/expert.demo"]),
        "hyperparameters": st.fixed_dictionaries(
            {}, optional={"batch_size": st.integers(16, 512), "learning_rate": st.floats(1e-5, 1e-2)}
        ),
        "network_settings": st.fixed_dictionaries(
            {}, optional={"hidden_units": st.integers(8, 256), "num_layers": st.integers(1, 3)}
        ),
    },
)
rl_documents = st.one_of(
    plausible_rl,
    with_unknown_key(
        st.fixed_dictionaries(
            {},
            optional={
                "algorithm": near(st.sampled_from(["PPO", "SAC", "POCA", "A2C"])),
                "max_steps": near(st.one_of(st.integers(0, 3000), st.integers(3000, 10**11))),
                "num_envs": near(st.integers(0, 300)),
                "num_areas": near(st.integers(0, 1100)),
                "time_scale": near(numbers),
                "seed": near(st.integers(-3, 2**31)),
                "use_offline_rl": near(st.booleans()),
                "demonstrations_path": near(st.one_of(st.none(), st.text(max_size=20))),
                "behavioral_cloning_strength": near(numbers),
                "gail_strength": near(numbers),
                "gamma": near(numbers),
                "time_horizon": near(st.integers(-1, 5000)),
                "summary_freq": near(st.integers(0, 200_000)),
                "checkpoint_interval": near(st.integers(0, 200_000)),
                "keep_checkpoints": near(st.integers(-1, 200)),
                "hyperparameters": near(
                    st.dictionaries(
                        st.sampled_from(
                            [
                                "batch_size",
                                "buffer_size",
                                "learning_rate",
                                "beta",
                                "epsilon",
                                "lambd",
                                "num_epoch",
                                "buffer_init_steps",
                                "tau",
                                "steps_per_update",
                                "learning_rate_schedule",
                                "bogus",
                            ]
                        ),
                        st.one_of(st.integers(-1, 200_000), numbers, st.sampled_from(["linear", "constant"])),
                        max_size=5,
                    )
                ),
                "network_settings": near(
                    st.dictionaries(
                        st.sampled_from(["normalize", "hidden_units", "num_layers", "memory"]),
                        st.one_of(st.booleans(), st.integers(-1, 2000)),
                        max_size=3,
                    )
                ),
            },
        )
    ),
)

crons = st.one_of(
    st.sampled_from(
        [
            "0 2 * * *",
            "*/15 * * * *",
            "@daily",
            "@hourly",
            "0 0 30 2 *",
            "0 0 31 4 *",
            "* * * * * *",
            "0 2 * * L",
            "TZ=Europe/Berlin 0 2 * * *",
            "61 * * * *",
            "",
        ]
    ),
    st.text(max_size=20),
)
plausible_schedules = st.fixed_dictionaries(
    {
        "schedule_id": st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
        "cron_expression": st.sampled_from(["0 2 * * *", "*/15 * * * *", "@daily", "30 3 * * 1-5"]),
        "asset_specs": st.lists(plausible_assets, min_size=1, max_size=2),
    },
    optional={
        "rl_config": plausible_rl,
        "timezone": st.sampled_from(["UTC", "Europe/Berlin"]),
        "enabled": st.booleans(),
        "catch_up": st.booleans(),
    },
)
schedule_documents = st.one_of(
    plausible_schedules,
    with_unknown_key(
        st.fixed_dictionaries(
            {
                "schedule_id": near(ids),
                "cron_expression": near(crons),
                "asset_specs": near(st.lists(asset_documents, min_size=0, max_size=2)),
            },
            optional={
                "rl_config": near(rl_documents),
                "timezone": near(st.sampled_from(["UTC", "Europe/Berlin", "Mars/Base", "", "utc"])),
                "enabled": near(st.booleans()),
                "catch_up": near(st.booleans()),
            },
        )
    ),
)

SMALL_RL = RLTrainingConfig(max_steps=3000)
SIMPLE_ASSET = UnityAssetSpec(asset_id="fuzz-1", name="FuzzAgent")


def _generates(asset: UnityAssetSpec, rl: RLTrainingConfig) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as out:
        result = generate(asset, rl, Path(out))
        assert result.manifest["files"] and (Path(out) / "behavior.json").is_file()


@FUZZ
@given(asset_documents)
def test_asset_specs_validate_then_generate_or_are_refused(document):
    try:
        asset = UnityAssetSpec.from_dict(document)
    except SpecValidationError:
        return
    _generates(asset, SMALL_RL)


@FUZZ
@given(rl_documents)
def test_rl_configs_validate_then_generate_or_are_refused(document):
    try:
        rl = RLTrainingConfig.from_dict(document)
    except SpecValidationError:
        return
    _generates(SIMPLE_ASSET, rl)


@FUZZ_SCHEDULES
@given(schedule_documents)
def test_schedules_validate_then_generate_or_are_refused(document):
    try:
        schedule = TrainingSchedule.from_dict(document)
        schedule.cron()
    except SpecValidationError:
        return
    for asset in schedule.asset_specs:
        _generates(asset, schedule.rl_config)


@settings(max_examples=100, deadline=None)
@given(st.one_of(schedule_documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)), st.text(max_size=200)))
def test_any_yaml_text_loads_or_is_refused(text):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        path = Path(folder) / "schedule.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            TrainingSchedule.from_dict(read_document(path), source=str(path))
        except SpecValidationError:
            pass
