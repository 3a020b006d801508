"""What every benchmark prints about the machine it ran on (scripts in bench/ import it by name)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe() -> str:
    """One line: OS, CPU model and cores, Python, and the load average while the benchmark runs."""
    return (
        f"{platform.platform()} | CPU: {cpu_model()} ({os.cpu_count()} cores) | Python {platform.python_version()} | "
        f"load average {os.getloadavg()[0]:.2f}"
    )
