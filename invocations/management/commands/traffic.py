"""`manage.py traffic`: start, stop and list traffic streams, or send a burst, from the terminal."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from ...errors import LambdaError
from ...services.simulator_status import simulator_unreachable
from ...services.traffic import (
    KINDS,
    PATTERNS,
    traffic_burst_send,
    traffic_stream_list,
    traffic_stream_start,
    traffic_stream_stop,
)


class Command(BaseCommand):
    help = "Drive the simulator: named traffic streams (constant, burst, ramp, sine) and one-shot bursts."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        start = sub.add_parser("start", help="start or replace a named stream")
        start.add_argument("name")
        start.add_argument("--target", required=True, help="function[:qualifier], or a queue/stream ARN")
        start.add_argument("--rate", type=float, required=True, help="invocations per simulated second")
        start.add_argument("--pattern", choices=PATTERNS, default="constant")
        start.add_argument("--type", dest="kind", choices=KINDS, default="sync")
        start.add_argument("--payload", default="{}", help="JSON object template")
        start.add_argument("--poison", type=float, default=0.0, help="share of payloads marked poison: true")
        _add_fifo_arguments(start)
        stop = sub.add_parser("stop", help="stop a named stream")
        stop.add_argument("name")
        sub.add_parser("list", help="list running streams")
        burst = sub.add_parser("burst", help="send N invocations now")
        burst.add_argument("count", type=int)
        burst.add_argument("--target", required=True)
        burst.add_argument("--type", dest="kind", choices=KINDS, default="sync")
        burst.add_argument("--payload", default="{}")
        burst.add_argument("--poison", type=float, default=0.0)
        _add_fifo_arguments(burst)

    def handle(self, *args, **options) -> None:
        # Streams written to a Redis no simulator reads would "start" and never run (issue 11, point 7).
        problem = simulator_unreachable()
        if problem:
            raise CommandError(problem)
        try:
            self._handle(options)
        except LambdaError as error:
            raise CommandError(f"{error.error_type}: {error.message}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"--payload is not JSON: {error}") from error

    def _handle(self, options: dict) -> None:
        action = options["action"]
        if action == "start":
            stream = traffic_stream_start(
                name=options["name"],
                target=options["target"],
                rate=options["rate"],
                pattern=options["pattern"],
                kind=options["kind"],
                payload=json.loads(options["payload"]),
                poison_share=options["poison"],
                **_fifo_options(options),
            )
            self.stdout.write(
                f"Started {stream.name}: {stream.rate:g}/s {stream.pattern} {stream.kind} -> {stream.target}"
            )
        elif action == "stop":
            traffic_stream_stop(name=options["name"])
            self.stdout.write(f"Stopped {options['name']}.")
        elif action == "list":
            streams = traffic_stream_list()
            if not streams:
                self.stdout.write("No traffic streams are running. Start one with: manage.py traffic start NAME ...")
            for s in streams:
                poison = f", {s.poison_share:.0%} poison" if s.poison_share else ""
                groups = f", groups {_groups_text(s)}" if s.fifo else ""
                self.stdout.write(f"{s.name}: {s.rate:g}/s {s.pattern} {s.kind} -> {s.target}{poison}{groups}")
        else:
            traffic_burst_send(
                target=options["target"],
                count=options["count"],
                kind=options["kind"],
                payload=json.loads(options["payload"]),
                poison_share=options["poison"],
                **_fifo_options(options),
            )
            self.stdout.write(f"Sent a burst of {options['count']} to {options['target']}.")


def _add_fifo_arguments(parser) -> None:
    """SQS FIFO targets: one message group, or a rule spreading messages over N groups (round-robin)."""
    parser.add_argument("--group-id", default="", help="MessageGroupId of every message (SQS FIFO)")
    parser.add_argument(
        "--groups", type=int, default=0, help="spread messages over N groups: <group-id or group>-0 ... -(N-1)"
    )
    parser.add_argument(
        "--dedup-id", default="", help="MessageDeduplicationId; {n} is the message number (default: a fresh id each)"
    )


def _fifo_options(options: dict) -> dict:
    return {"group_id": options["group_id"], "groups": options["groups"], "dedup_id": options["dedup_id"]}


def _groups_text(stream) -> str:
    if stream.groups:
        return f"{stream.group_id or 'group'}-0..{stream.groups - 1}"
    return stream.group_id
