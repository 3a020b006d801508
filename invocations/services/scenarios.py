"""The dashboard's scenario launcher: one click sets up a classroom situation from the other use cases."""

from __future__ import annotations

from typing import Any

from .. import selectors
from ..errors import InvalidParameterValueException
from .aliases import alias_weight_set
from .clock import simulation_clock_set
from .concurrency import function_concurrency_set
from .demo import demo_seed, demo_traffic_start
from .traffic import traffic_burst_send, traffic_stream_list, traffic_stream_start, traffic_stream_stop

SCENARIOS = {
    "seed_demo": "The classroom demo: checkout's prod alias at 95/5, an SQS worker, a Kinesis stream, S3 uploads.",
    "canary_50": "Move checkout's prod alias to 50/50 and watch the canary's errors double.",
    "throttle": "Reserve 0 concurrency for checkout: every invocation is throttled (429).",
    "fifo_groups": "Feed jobs.fifo over 3 customer groups, plus one poison job: its group blocks, the others flow.",
    "stop_traffic": "Stop every running traffic stream.",
}


def scenario_run(*, name: str) -> dict[str, Any]:
    if name not in SCENARIOS:
        raise InvalidParameterValueException(f"Unknown scenario {name}. Choose one of {', '.join(SCENARIOS)}.")
    if name == "seed_demo":
        summary = demo_seed()
        return {"created": summary.created, "traffic": demo_traffic_start()}
    if name == "canary_50":
        checkout = selectors.function_get("checkout").function
        alias_weight_set(function=checkout, alias_name="prod", percent=50)
        return {"alias": "prod", "weight": 50}
    if name == "fifo_groups":
        demo_seed()  # idempotent: makes jobs.fifo and job-runner if an older demo predates them
        traffic_stream_start(name="jobs", target="jobs.fifo", kind="sqs", rate=3.0, group_id="customer", groups=3)
        traffic_burst_send(target="jobs.fifo", kind="sqs", count=1, payload={"poison": True}, group_id="customer-0")
        simulation_clock_set(paused=False)
        return {"traffic": ["jobs"], "poison_group": "customer-0"}
    if name == "throttle":
        function_concurrency_set(function=selectors.function_get("checkout").function, reserved=0)
        return {"reserved": 0}
    for stream in traffic_stream_list():
        traffic_stream_stop(name=stream.name)
    return {"stopped": True}
