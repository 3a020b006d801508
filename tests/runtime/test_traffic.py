"""The traffic generator: patterns, validation, and the `manage.py traffic` command (issue 4, point 6)."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from invocations.errors import InvalidParameterValueException, ResourceNotFoundException
from invocations.runtime.host.lease import LEASE
from invocations.runtime.traffic import BURSTS, SHED, TrafficRunner, TrafficStream, traffic_burst, traffic_list
from invocations.services.demo import demo_seed
from invocations.services.traffic import traffic_burst_send, traffic_stream_start


def test_a_constant_stream_produces_its_rate_exactly_over_time():
    stream = TrafficStream("s", "fn", rate=12.5)
    assert stream.count_between(0, 10) == pytest.approx(125)


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [("burst", 0.5, 5.0), ("ramp", 0.0, 1.0), ("sine", 0.0, 1.0)],
)
def test_each_pattern_moves_between_its_low_and_high_rate_and_repeats_every_minute(pattern, low, high):
    stream = TrafficStream("s", "fn", rate=100, pattern=pattern)
    rates = [stream.rate_at(t / 10) for t in range(600)]
    assert min(rates) == pytest.approx(low * 100, abs=2) and max(rates) == pytest.approx(high * 100, abs=2)
    assert stream.rate_at(7.3) == pytest.approx(stream.rate_at(67.3))


def test_poison_share_marks_about_that_share_of_payloads():
    stream = TrafficStream("s", "fn", rate=1, poison_share=0.25, payload={"order": 1})
    rng = random.Random(4)
    payloads = [stream.payload_for(n, rng) for n in range(4000)]
    assert 0.22 < sum(1 for p in payloads if p.get("poison")) / 4000 < 0.28
    assert payloads[0]["order"] == 1 and payloads[3]["n"] == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rate": 0}, "rate must be"),
        ({"pattern": "zigzag"}, "pattern must be"),
        ({"kind": "carrier-pigeon"}, "type must be"),
        ({"poison_share": 1.5}, "poison share"),
    ],
)
def test_bad_streams_are_refused_with_a_clear_message(fields, message):
    with pytest.raises(InvalidParameterValueException, match=message):
        TrafficStream(**{"name": "s", "target": "fn", "rate": 10, **fields}).validate()


def test_the_runner_carries_fractions_so_slow_rates_are_not_lost(redis_client):
    redis_client.hset("lv:traffic", "slow", '{"name": "slow", "target": "fn", "rate": 0.3}')
    runner = TrafficRunner(redis_client, random.Random(1))
    runner.due(0.0)
    total = sum(count for t in range(1, 11) for _, count in runner.due(float(t)))
    assert total == 3


@pytest.mark.django_db
def test_a_stream_needs_an_existing_target(redis_client):
    demo_seed()
    with pytest.raises(ResourceNotFoundException):
        traffic_stream_start(name="x", target="no-such-function", rate=5)
    traffic_stream_start(name="x", target="checkout:prod", rate=5)
    assert [s.name for s in traffic_list(redis_client)] == ["x"]


@pytest.mark.django_db
def test_the_traffic_command_starts_lists_bursts_and_stops(redis_client):
    demo_seed()
    redis_client.set(LEASE, "a-running-host", ex=60)  # the command refuses to act with no engine host running
    out = StringIO()
    call_command(
        "traffic", "start", "demo", "--target", "checkout:prod", "--rate", "50", "--pattern", "sine", stdout=out
    )
    call_command("traffic", "list", stdout=out)
    call_command("traffic", "burst", "20", "--target", "checkout:prod", stdout=out)
    assert redis_client.llen(BURSTS) == 1
    call_command("traffic", "stop", "demo", stdout=out)
    call_command("traffic", "list", stdout=out)
    text = out.getvalue()
    assert "Started demo: 50/s sine sync -> checkout:prod" in text
    assert "demo: 50/s sine sync -> checkout:prod" in text
    assert "Sent a burst of 20 to checkout:prod." in text
    assert "No traffic streams are running." in text
    with pytest.raises(CommandError, match="ResourceNotFoundException"):
        call_command("traffic", "stop", "demo")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("traffic", "burst", "5", "--target", "checkout", "--payload", "{nope")


@pytest.mark.django_db
def test_the_traffic_command_says_when_no_simulator_runs_and_exits_non_zero(redis_client, settings):
    demo_seed()
    with pytest.raises(CommandError, match="No simulator is running"):
        call_command("traffic", "start", "x", "--target", "checkout:prod", "--rate", "5")
    assert traffic_list(redis_client) == []  # nothing written where no host would read it
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(CommandError, match="Cannot reach the simulator's Redis at redis://127.0.0.1:1/0"):
        call_command("traffic", "list")


@pytest.mark.django_db
def test_a_burst_is_bounded(redis_client):
    demo_seed()
    with pytest.raises(InvalidParameterValueException, match="1-100000"):
        traffic_burst_send(target="checkout", count=0)


def test_a_slow_step_is_capped_and_what_is_shed_is_counted(redis_client):
    # Two streams, 10 s of traffic due in one step: each keeps its share of the cap; the rest is shed and counted.
    runner = TrafficRunner(redis_client, random.Random(1), max_per_step=300)
    redis_client.hset("lv:traffic", "a", '{"name": "a", "target": "fn", "rate": 40.0}')
    redis_client.hset("lv:traffic", "b", '{"name": "b", "target": "fn", "rate": 20.0}')
    runner.due(0.0)
    work = {stream.name: count for stream, count in runner.due(10.0)}
    assert work == {"a": 200, "b": 100}
    assert runner.shed == {"a": 200, "b": 100}
    assert redis_client.hgetall(SHED) == {b"a": b"200", b"b": b"100"}
    # The next step is not made bigger by what was shed: only its own slice comes out.
    assert {stream.name: count for stream, count in runner.due(11.0)} == {"a": 40, "b": 20}


def test_a_burst_over_the_cap_is_spread_over_the_next_steps_never_shed(redis_client):
    runner = TrafficRunner(redis_client, random.Random(1), max_per_step=400)
    stream = TrafficStream("b", "fn", rate=1)
    traffic_burst(redis_client, stream, 1000)
    traffic_burst(redis_client, stream, 30)
    steps = [[count for _, count in runner.due(float(t))] for t in range(4)]
    assert steps == [[400], [400], [200, 30], []]
    assert runner.shed == {} and not redis_client.exists(SHED)
