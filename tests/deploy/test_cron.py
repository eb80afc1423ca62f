"""Cron conversion: the one grammar's cron in, Vertex AI's TZ-prefixed and Kubeflow's 6-field forms out.

What the grammar accepts and refuses is tested on one table for every reader in tests/test_cron_grammar.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from croniter import croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_unity_pipeline.cron import MACROS, parse_cron
from mlops_unity_pipeline.deploy.cron import for_kfp, for_vertex
from mlops_unity_pipeline.errors import CronError, SpecValidationError


@pytest.mark.parametrize(
    ("expression", "zone", "vertex", "kfp"),
    [
        ("0 2 * * *", None, "TZ=UTC 0 2 * * *", "0 0 2 * * *"),
        ("*/15 9-17 * * 1-5", "UTC", "TZ=UTC */15 9-17 * * 1-5", "0 */15 9-17 * * 1-5"),
        ("@daily", None, "TZ=UTC 0 0 * * *", "0 0 0 * * *"),
        ("@weekly", "Etc/UTC", "TZ=Etc/UTC 0 0 * * 0", "0 0 0 * * 0"),
        ("0 6 * * 7", None, "TZ=UTC 0 6 * * 0", "0 0 6 * * 0"),
        ("0 6 * * 5-7", None, "TZ=UTC 0 6 * * 0,5,6", "0 0 6 * * 0,5,6"),
        ("0 6 * * 0-7", None, "TZ=UTC 0 6 * * *", "0 0 6 * * *"),
        ("TZ=UTC 0 1 1 * *", None, "TZ=UTC 0 1 1 * *", "0 0 1 1 * *"),
    ],
)
def test_conversions(expression: str, zone: str | None, vertex: str, kfp: str) -> None:
    schedule = parse_cron(expression, zone)
    assert for_vertex(schedule) == vertex
    assert for_kfp(schedule) == kfp


def test_a_time_zone_goes_into_the_vertex_prefix() -> None:
    assert for_vertex(parse_cron("30 3 * * 1-5", "Europe/Berlin")) == "TZ=Europe/Berlin 30 3 * * 1-5"
    assert for_vertex(parse_cron("CRON_TZ=Asia/Tokyo 0 9 * * *")) == "TZ=Asia/Tokyo 0 9 * * *"


@pytest.mark.parametrize(
    ("expression", "zone", "message"),
    [
        ("0 0 2 * * *", None, "5 fields"),
        ("61 * * * *", None, "values must be 0-59"),
        ("@fortnightly", None, "not a known macro"),
        ("0 2 * * *", "Mars/Olympus", "IANA"),
        ("TZ=Europe/Paris 0 2 * * *", "Europe/Berlin", "Europe/Paris"),
    ],
)
def test_invalid_input_is_named(expression: str, zone: str | None, message: str) -> None:
    with pytest.raises(SpecValidationError, match=message):
        parse_cron(expression, zone)


def test_kubeflow_refuses_zones_it_cannot_honour() -> None:
    with pytest.raises(CronError, match="Europe/Berlin"):
        for_kfp(parse_cron("0 2 * * *", "Europe/Berlin"))


def test_every_macro_is_valid_cron() -> None:
    assert all(croniter.is_valid(expression) for expression in MACROS.values())


FIELD = st.one_of(st.just("*"), st.integers(0, 59).map(str))
WEEKDAY = st.one_of(
    st.just("*"),
    st.integers(0, 7).map(str),
    st.tuples(st.integers(0, 7), st.integers(0, 7)).filter(lambda t: t[0] <= t[1]).map(lambda t: f"{t[0]}-{t[1]}"),
    st.tuples(st.integers(0, 6), st.integers(1, 3)).map(lambda t: f"{t[0]}-7/{t[1]}"),
)


@settings(max_examples=60, deadline=None)
@given(minute=st.integers(0, 59), hour=st.integers(0, 23), weekday=WEEKDAY)
def test_converted_expressions_fire_at_the_same_instants(minute: int, hour: int, weekday: str) -> None:
    """The 6-field form (seconds dropped) and the Vertex form fire exactly when the original does."""
    original = f"{minute} {hour} * * {weekday}"
    schedule = parse_cron(original)
    kfp_fields = for_kfp(schedule).split()
    assert kfp_fields[0] == "0"
    converted = " ".join(kfp_fields[1:])
    vertex = for_vertex(schedule).removeprefix("TZ=UTC ")
    assert all(int(day) <= 6 for day in re.findall(r"\d+", kfp_fields[5].split("/")[0])), "robfig/cron takes 0-6"
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    for other in (converted, vertex):
        a, b = croniter(original, start), croniter(other, start)
        assert [a.get_next(datetime) for _ in range(10)] == [b.get_next(datetime) for _ in range(10)]
