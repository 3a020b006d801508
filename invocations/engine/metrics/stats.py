"""One series' statistics over one stretch of time (a second, a minute, a period): CloudWatch's statistic set
(SampleCount, Sum, Minimum, Maximum) plus, for Duration, a histogram for percentiles. Mergeable by design."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import histogram

BASIC_STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d{1,2})?|100)$")


@dataclass(slots=True)
class Stat:
    count: float = 0.0
    sum: float = 0.0
    minimum: float = float("inf")
    maximum: float = float("-inf")
    buckets: dict[int, int] | None = field(default=None)

    def add(self, value: float, *, with_histogram: bool = False) -> None:
        self.count += 1
        self.sum += value
        if value < self.minimum:
            self.minimum = value
        if value > self.maximum:
            self.maximum = value
        if with_histogram:
            if self.buckets is None:
                self.buckets = {}
            bucket = histogram.bucket_of(value)
            self.buckets[bucket] = self.buckets.get(bucket, 0) + 1

    def merge(self, other: Stat) -> Stat:
        self.count += other.count
        self.sum += other.sum
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        if other.buckets:
            self.buckets = histogram.merge(self.buckets if self.buckets is not None else {}, other.buckets)
        return self

    def value(self, statistic: str) -> float | None:
        """The named statistic (SampleCount, Average, Sum, Minimum, Maximum, or a percentile pNN[.NN])."""
        if self.count == 0:
            return None
        if statistic == "SampleCount":
            return self.count
        if statistic == "Sum":
            return self.sum
        if statistic == "Average":
            return self.sum / self.count
        if statistic == "Minimum":
            return self.minimum
        if statistic == "Maximum":
            return self.maximum
        match = PERCENTILE.match(statistic)
        if match is None:
            raise ValueError(f"unknown statistic {statistic!r}")
        if not self.buckets:  # a gauge or a count: every sample sits between min and max
            return self.maximum if float(match.group(1)) >= 50 else self.minimum
        return histogram.percentile(self.buckets, float(match.group(1)), low=self.minimum, high=self.maximum)

    def to_fields(self) -> dict[str, float | dict[int, int]]:
        out: dict[str, float | dict[int, int]] = {
            "n": self.count,
            "s": self.sum,
            "lo": self.minimum,
            "hi": self.maximum,
        }
        if self.buckets:
            out["h"] = dict(self.buckets)
        return out

    @classmethod
    def from_fields(cls, fields: dict) -> Stat:
        buckets = fields.get("h")
        return cls(
            count=float(fields["n"]),
            sum=float(fields["s"]),
            minimum=float(fields["lo"]),
            maximum=float(fields["hi"]),
            buckets={int(k): int(v) for k, v in buckets.items()} if buckets else None,
        )


def is_statistic(name: str) -> bool:
    return name in BASIC_STATISTICS or PERCENTILE.match(name) is not None
