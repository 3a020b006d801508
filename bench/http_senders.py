"""Async invokes through the real Lambda API over HTTP, at a steady rate, from several processes (bench/durability.py).

Each sender process holds a few threads, each with its own boto3 Lambda client (no retries: one HTTP request per
invoke, SigV4 with the server's keys). Invoke numbers are dealt round-robin: process p of P sends n = p, p + P, ...,
each no earlier than `started + n / rate`, so the offered rate is the one asked for as long as the clients keep up
(the report prints the rate reached). An invoke is accepted when the API answered 202; anything else is counted by
its error code, never retried (a refused invoke is not an accepted event).
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class SenderPlan:
    endpoint_url: str
    function: str
    access_key_id: str
    secret_access_key: str
    events: int
    rate: float
    processes: int
    threads: int


def send_all(plan: SenderPlan) -> tuple[list[int], Counter, float]:
    """Send every invoke; returns (accepted numbers, refusals by error code, seconds spent sending)."""
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no Django, no inherited connections
    results = context.Queue()
    started = time.time() + 2.0  # every sender imports boto3 first, then all start on the same beat
    procs = [context.Process(target=_sender, args=(plan, index, started, results)) for index in range(plan.processes)]
    for proc in procs:
        proc.start()
    accepted: list[int] = []
    refused: Counter = Counter()
    for _ in procs:
        numbers, errors = results.get()
        accepted += numbers
        refused.update(errors)
    for proc in procs:
        proc.join()
    return sorted(accepted), refused, time.time() - started


def _sender(plan: SenderPlan, index: int, started: float, results) -> None:
    import boto3
    from botocore.config import Config

    numbers = list(range(index, plan.events, plan.processes))
    lock = threading.Lock()
    accepted: list[int] = []
    refused: Counter = Counter()

    def client():
        return boto3.session.Session().client(
            "lambda",
            endpoint_url=plan.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id=plan.access_key_id,
            aws_secret_access_key=plan.secret_access_key,
            config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30),
        )

    def work(lane: int) -> None:
        lambda_client = client()
        for n in numbers[lane :: plan.threads]:
            wait = started + n / plan.rate - time.time()
            if wait > 0:
                time.sleep(wait)
            try:
                status = lambda_client.invoke(
                    FunctionName=plan.function, InvocationType="Event", Payload=json.dumps({"n": n})
                )["StatusCode"]
                outcome = None if status == 202 else f"HTTP {status}"
            except Exception as error:  # noqa: BLE001 (counted by kind: a refused invoke is part of the report)
                outcome = getattr(error, "response", {}).get("Error", {}).get("Code") or type(error).__name__
            with lock:
                if outcome is None:
                    accepted.append(n)
                else:
                    refused[outcome] += 1

    lanes = [threading.Thread(target=work, args=(lane,)) for lane in range(plan.threads)]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    results.put((accepted, dict(refused)))
