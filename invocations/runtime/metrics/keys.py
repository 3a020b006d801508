"""Redis layout of the metric store, and the packed form of one statistic.

- `lv:cw:1s:<series>:<minute>`: hash, second of the minute (0-59) -> packed Stat; expires after the 1-second window.
- `lv:cw:1m:<series>:<hour>`: hash, minute of the hour (0-59) -> packed Stat; expires after the 1-minute window.
- `lv:cw:series`: sorted set, series key -> the last second it had data (ListMetrics; AWS lists two weeks).
Times are simulated epoch seconds. A Stat packs as "count,sum,min,max" and, for Duration, ";bucket:count,...".
"""

from __future__ import annotations

from ...engine.metrics.stats import Stat

SERIES = "lv:cw:series"


def second_key(series: str, minute: int) -> str:
    return f"lv:cw:1s:{series}:{minute}"


def minute_key(series: str, hour: int) -> str:
    return f"lv:cw:1m:{series}:{hour}"


def pack(stat: Stat) -> str:
    text = f"{stat.count:g},{stat.sum!r},{stat.minimum!r},{stat.maximum!r}"
    if stat.buckets:
        text += ";" + ",".join(f"{b}:{c}" for b, c in stat.buckets.items())
    return text


def unpack(raw: bytes | str) -> Stat:
    text = raw.decode() if isinstance(raw, bytes) else raw
    numbers, _, buckets = text.partition(";")
    count, total, low, high = (float(x) for x in numbers.split(","))
    histogram = None
    if buckets:
        histogram = {}
        for pair in buckets.split(","):
            bucket, _, n = pair.partition(":")
            histogram[int(bucket)] = int(n)
    return Stat(count=count, sum=total, minimum=low, maximum=high, buckets=histogram)
