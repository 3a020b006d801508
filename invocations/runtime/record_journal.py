"""The invocation-record journal: records are made durable in Redis before the work they describe is acknowledged,
then drained into the database exactly once.

Why: records used to wait in the host's memory (and a writer thread's queue) while the async event, SQS message
or stream record they describe was already acknowledged in Redis. A SIGKILL in between processed the work and lost
its record (issue 10: 25 of 10,000 when the host's process was killed, 155 when the whole worker was).

How:
- `append` queues, on the caller's pipeline, one journal entry holding a batch of rows. The host sends it in the
  same round trip as, and before, the acknowledgements of that step (durable_acks.DurableAcks.commit), so an
  acknowledged event always has its record in Redis, and Redis (append-only, `make run`'s default) keeps it.
- `drain` writes entries to the database and then drops them from the journal. Each entry has a sequence number;
  the database keeps the highest one written (RecordJournalMark), updated in the same transaction as the rows,
  with a compare-and-set. A writer killed between its commit and the trim, or two writers draining at once (a
  takeover), therefore never write an entry twice, and the trim only drops entries the mark covers.
- The sequence restarts if Redis loses its data; the journal's epoch (a random token kept beside it) changes with
  it, and entries of another epoch than the mark's are new.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid

import redis
from django.db import IntegrityError, close_old_connections, connection, transaction

from ..models import RecordJournalMark
from .records import expanded, write_rows

log = logging.getLogger(__name__)

JOURNAL = "lv:records:journal"
SEQ = "lv:records:journal:seq"
EPOCH = "lv:records:journal:epoch"

# KEYS: journal, seq, epoch. ARGV: rows JSON, a fresh epoch (used only if there is none yet).
# Entry: "<epoch> <seq> <rows>".
_APPEND = """
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  epoch = ARGV[2]
  redis.call('SET', KEYS[3], epoch)
end
local seq = redis.call('INCR', KEYS[2])
redis.call('RPUSH', KEYS[1], epoch .. ' ' .. seq .. ' ' .. ARGV[1])
return seq
"""
# KEYS: journal. ARGV: epoch, seq. Drops leading entries of that epoch up to that seq (those are in the database).
_TRIM = """
local dropped = 0
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head then break end
  local epoch, seq = string.match(head, '^(%S+) (%d+) ')
  if epoch ~= ARGV[1] or tonumber(seq) > tonumber(ARGV[2]) then break end
  redis.call('LPOP', KEYS[1])
  dropped = dropped + 1
end
return dropped
"""


def append(pipe, rows: list[tuple]) -> None:
    """Queue on `pipe` one journal entry with `rows` (tuples in records.COLUMNS order; the log column either its
    text or, from the engine host, its raw parts (records.compacted), formatted by `drain` off the host's thread)."""
    if rows:
        # EVAL, not a registered script: redis-py would ask SCRIPT EXISTS first, one more round trip per step.
        pipe.eval(_APPEND, 3, JOURNAL, SEQ, EPOCH, json.dumps(rows, separators=(",", ":")), uuid.uuid4().hex)


def pending(client: redis.Redis) -> int:
    """Entries not yet drained (each a batch of rows)."""
    return client.llen(JOURNAL)


def drain(client: redis.Redis, *, max_entries: int = 20) -> int:
    """Write up to `max_entries` journal entries to the database, oldest first; returns the rows written."""
    raws = client.lrange(JOURNAL, 0, max_entries - 1)
    if not raws:
        return 0
    entries = []
    for raw in raws:
        epoch, seq, rows = raw.split(b" ", 2)
        entries.append((epoch.decode(), int(seq), rows))
    mark = _mark()
    fresh = [(epoch, seq, rows) for epoch, seq, rows in entries if epoch != mark.epoch or seq > mark.seq]
    written = 0
    if fresh:
        # Only entries of one epoch per transaction (a new epoch begins after Redis lost its data).
        epoch = fresh[0][0]
        batch = [(seq, rows) for e, seq, rows in fresh if e == epoch]
        last = batch[-1][0]
        with transaction.atomic():
            # The write comes first (SQLite: a transaction that reads first cannot wait for another writer).
            moved = RecordJournalMark.objects.filter(pk=1, epoch=mark.epoch, seq=mark.seq).update(epoch=epoch, seq=last)
            if not moved:
                return 0  # another writer drained meanwhile: read again next time
            values = [expanded(row) for _, rows in batch for row in json.loads(rows)]  # log text formatted here
            write_rows(values)
            written = len(values)
        mark_epoch, mark_seq = epoch, last
    else:
        mark_epoch, mark_seq = mark.epoch, mark.seq
    client.eval(_TRIM, 1, JOURNAL, mark_epoch, mark_seq)
    return written


def drain_all(client: redis.Redis, *, max_rounds: int = 1000) -> int:
    """drain() until the journal is empty (tests, shutdown); returns the rows written."""
    total = 0
    for _ in range(max_rounds):
        if not pending(client):
            break
        total += drain(client)
    return total


def _mark() -> RecordJournalMark:
    try:
        return RecordJournalMark.objects.get_or_create(pk=1, defaults={"epoch": "", "seq": 0})[0]
    except IntegrityError:  # created by another writer at the same moment
        return RecordJournalMark.objects.get(pk=1)


class JournalWriter:
    """A thread that drains the journal into the database every `interval` seconds, or at once when woken, so the
    host's loop never waits for the database (the drivers release the GIL while they write). Whatever it has not
    written when its process dies stays in the journal for the next host's writer."""

    def __init__(self, client: redis.Redis, *, interval: float = 0.5) -> None:
        self.client = client
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="record-journal-writer", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def drain(self) -> None:
        """Write everything journaled so far, on the calling thread (tests and shutdown wait for it)."""
        drain_all(self.client)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._wake.wait(self.interval)
                self._wake.clear()
                try:
                    close_old_connections()  # a database restarted meanwhile: reconnect rather than fail forever
                    while drain(self.client) and not self._stop.is_set():
                        pass
                except Exception:  # the entries stay in the journal: tried again at the next wake-up
                    log.exception("could not write journaled invocation records; retrying")
                    self._stop.wait(1.0)
        finally:
            connection.close()  # this thread's own database connection
