"""Which uids an instance's sandboxes run as: a block of its own, so that no two environments, and no two LambdaViz
instances on one machine, share a uid (a shared uid may signal, ptrace and read the other's processes)."""

from __future__ import annotations

import hashlib
import os

FIRST_UID = 1_000_000  # above any login user and below the 32-bit limit with room for every block
BLOCK = 1024  # uids per instance: one per pool slot, so at most this many processes
BLOCKS = 1 << 20  # blocks to hash into (FIRST_UID + BLOCKS * BLOCK < 2**31)


def instance_uid_base(var_dir: str, *, first_uid: int = FIRST_UID, block: int = BLOCK, blocks: int = BLOCKS) -> int:
    """The first uid of the block belonging to the instance whose data lives in `var_dir` (its real path, hashed).
    Two instances collide only when their paths hash to the same block (about 1 in a million)."""
    digest = hashlib.sha256(os.path.realpath(var_dir).encode()).digest()
    return first_uid + int.from_bytes(digest[:8], "big") % blocks * block
