"""engine/ stays pure Python: importing every engine module pulls in no Django, Channels, Celery or Redis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("django", "channels", "celery", "redis", "kombu", "daphne")

SCRIPT = """
import importlib, json, pkgutil, sys
import invocations.engine as engine
names = [m.name for m in pkgutil.walk_packages(engine.__path__, "invocations.engine.")]
for name in names:
    importlib.import_module(name)
forbidden = set(sys.argv[1:])
bad = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps({"modules": names, "forbidden": bad}))
"""


def test_engine_modules_import_nothing_from_django_channels_celery_or_redis():
    # DESIGN "Layers": engine/ imports nothing from Django, Channels, Celery or Redis
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, *FORBIDDEN], cwd=ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(out.stdout)
    assert "invocations.engine.simulator" in report["modules"] and len(report["modules"]) > 15
    assert report["forbidden"] == []
