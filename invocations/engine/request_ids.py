"""Request ids (semantics §1, §2, §9): random version-4 UUIDs drawn from a seeded RNG, so a run stays reproducible.

One id per invocation appears everywhere AWS shows it (the Invoke answer's x-amzn-RequestId, START/END/REPORT,
context.aws_request_id, error bodies, DLQ attributes, destination records). Formatting a UUID per call costs more
than the rest of an invocation's bookkeeping, so ids are made BATCH at a time with C-level operations: one big
random integer, masked to set the version and variant bits, turned to hex, and its digits copied into a template
of dashes by strided slice assignment. The ids are exactly `str(uuid.UUID(int=bits, version=4))` for 128 random
bits each, in the order drawn.
"""

from __future__ import annotations

import binascii
import random
from collections.abc import Callable, Iterator

BATCH = 256
_ONE = (1 << 128) - 1
# Clear the version nibble and the variant's top two bits; then set version 4 and variant 0b10 (RFC 4122).
_KEEP = _ONE & ~((0xF << 76) | (0xC << 60))
_SET = (0x4 << 76) | (0x8 << 60)
_KEEP_ALL = sum(_KEEP << (128 * k) for k in range(BATCH))
_SET_ALL = sum(_SET << (128 * k) for k in range(BATCH))
# Hex digit p of an id goes to character p + (dashes before it) of its 36-character form; one newline per id.
_STRIDE = 37
_MOVES = [(p, p + (p >= 8) + (p >= 12) + (p >= 16) + (p >= 20)) for p in range(32)]
_TEMPLATE = (b"-" * 36 + b"\n") * BATCH


def _batches(rng: random.Random) -> Iterator[str]:
    getrandbits = rng.getrandbits
    while True:
        digits = binascii.hexlify(((getrandbits(128 * BATCH) & _KEEP_ALL) | _SET_ALL).to_bytes(16 * BATCH, "big"))
        text = bytearray(_TEMPLATE)
        for source, target in _MOVES:
            text[target::_STRIDE] = digits[source::32]
        yield from text.decode("ascii").split()


def random_request_ids(rng: random.Random) -> Callable[[], str]:
    """A function returning a new random UUID string on each call, drawn from `rng` only (deterministic)."""
    return _batches(rng).__next__
