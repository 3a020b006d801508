"""Every command in README's shell and Python blocks, run verbatim against a live `make run` (issue 11, point 14).

The only change to the text: the server's address, 127.0.0.1:8000, becomes the stack's free port. Blocks that
start a server themselves are listed in NOT_RUN_HERE with where they are covered instead, so a new block cannot
go unrun silently. A command whose comment names an exception (`# TooManyRequestsException: ...`) must fail with
it; every other command must succeed.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
NOT_RUN_HERE = {
    "make run ": "the stack fixture is scripts/run.py, what `make run` runs; `make test` is what runs this test",
    "createdb lambdaviz": "needs PostgreSQL; scripts/test.py runs the suite on PostgreSQL when one answers",
    "LAMBDAVIZ_ACCESS_KEY_ID=class42": "the LAN switch; tests/stack/test_lan.py starts run.py with the same switch",
}
EXPECTED_ERROR = re.compile(r"#\s*(\w+Exception)\b")


def readme_blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(README.read_text()) if m.group(1) in {"sh", "python"}]


def commands(block: str) -> list[str]:
    """Shell commands, a backslash-continued command as one; comment-only and blank lines dropped."""
    joined = block.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_every_readme_command_runs_verbatim_against_a_live_server(local_stack, tmp_path):
    blocks = readme_blocks()
    shell_lines: list[str] = []
    expected: list[tuple[str, str | None]] = []
    python_blocks: list[str] = []
    skipped = []
    for language, text in blocks:
        text = text.replace("127.0.0.1:8000", f"127.0.0.1:{local_stack.port}")
        if language == "python":
            python_blocks.append(text)
            continue
        reason = next((why for start, why in NOT_RUN_HERE.items() if text.lstrip().startswith(start)), None)
        if reason:
            skipped.append(text.splitlines()[0])
            continue
        # Terminal commands run from the checkout (they name .venv/bin/python); the others in a scratch folder.
        shell_lines.append(f"cd {ROOT if 'manage.py' in text else tmp_path}")
        for command in commands(text):
            found = EXPECTED_ERROR.search(command)
            shell_lines += [
                f"echo '__begin__ {len(expected)}'",
                command,
                f'rc=$?; echo; echo "__rc__ {len(expected)} $rc"',
            ]
            expected.append((command, found.group(1) if found else None))
    assert len(skipped) == len(NOT_RUN_HERE), f"a skip reason no longer matches a block: {skipped}"
    assert len(expected) >= 15 and python_blocks

    # A second shell: no REDIS_URL (management commands find the simulator through var/run.json), no AWS profile.
    env = {k: v for k, v in local_stack.env.items() if k != "REDIS_URL"} | {
        "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
    }
    result = subprocess.run(
        ["bash", "-c", "\n".join(shell_lines)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=240,
    )
    output = result.stdout
    for index, (command, error) in enumerate(expected):
        rc = re.search(rf"^__rc__ {index} (\d+)$", result.stdout, re.M)
        assert rc, f"never ran: {command}\n{output[-3000:]}"
        piece = output.split(f"__begin__ {index}\n", 1)[1].split(f"__rc__ {index} ", 1)[0]
        if error:
            assert rc.group(1) != "0" and error in piece, f"{command} should fail with {error}:\n{piece}"
        else:
            assert rc.group(1) == "0", f"{command} failed ({rc.group(1)}):\n{output[-3000:]}"
    assert '{"doubled": 42}' in (tmp_path / "out.json").read_text()  # the Python function really ran
    assert "Started steady: 50/s constant sync -> checkout:prod" in result.stdout

    for text in python_blocks:
        ran = subprocess.run([sys.executable, "-c", text], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert ran.returncode == 0, ran.stderr
        assert re.match(r"^[12] \{", ran.stdout), ran.stdout  # the executed version, then the payload

    # Leave the shared stack as calm as the README found it (the block leaves two streams running).
    for name in ("waves", "clicks"):
        subprocess.run([sys.executable, "manage.py", "traffic", "stop", name], cwd=ROOT, env=env, timeout=60)
