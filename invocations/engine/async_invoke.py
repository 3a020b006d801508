"""Asynchronous invocation (semantics §2): the internal queue, retries, DLQ and destinations.

Each accepted event ends in exactly one AsyncEventProcessed (Success) or AsyncEventDropped (RetriesExhausted,
EventAgeExceeded, ZeroReservedConcurrency). Approximations: retry delays are exact (60 s, 120 s by default; AWS
says "about"); throttle backoff doubles from 1 s to 5 min and does not grow with queue depth; the event-age check
happens when the event is next due, and a retry is never scheduled past the event's age limit; a duplicate
invocation (at-least-once) runs the function but does not retry or deliver; deleting a function drops its queued
events with condition "FunctionDeleted" (engine-specific, no destination).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import LambdaError
from .events import (
    AsyncEventAccepted,
    AsyncEventDropped,
    AsyncEventProcessed,
    DeliveredToDLQ,
    DeliveryFailed,
    DestinationDelivered,
    DuplicateDelivered,
    InvocationType,
    RetryScheduled,
)
from .invocation import new_attempt
from .outcomes import InvokeResult, Outcome
from .records import (
    EVENT_AGE_EXCEEDED,
    RETRIES_EXHAUSTED,
    SUCCESS,
    ZERO_RESERVED_CONCURRENCY,
    dlq_attributes,
    eventbridge_envelope,
    invocation_record,
    iso_timestamp,
)

if TYPE_CHECKING:
    from .clock import Scheduled
    from .routing import Route
    from .simulator import Engine

FUNCTION_DELETED = "FunctionDeleted"


class AsyncItem:
    """One accepted event in the queue. `attempts` counts real invocations (approximateInvokeCount); `retries`
    the function-error retries used; throttles and service errors consume neither."""

    __slots__ = (
        "request_id",
        "function",
        "target",
        "qualifier",
        "payload",
        "source",
        "accepted_at",
        "attempts",
        "retries",
        "backoff",
        "last",
        "last_refusal",
    )

    def __init__(
        self, request_id: str, function: str, target: str, qualifier: str | None, payload: Any, source: str, at: float
    ) -> None:
        self.request_id = request_id
        self.function = function
        self.target = target
        self.qualifier = qualifier
        self.payload = payload
        self.source = source
        self.accepted_at = at
        self.attempts = 0
        self.retries = 0
        self.backoff = 0.0
        self.last: InvokeResult | None = None
        self.last_refusal: InvokeResult | None = None


class AsyncInvoker:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._clock = engine.clock
        self._queue = engine.store.async_queue
        self._emit = engine.sink.emit
        self._options = engine.options
        self._timer: Scheduled | None = None
        self._timer_at = float("inf")

    # --- queue ---------------------------------------------------------------------------------------------

    def accept(
        self, route: Route, target: str, qualifier: str | None, payload: Any, source: str, request_id: str | None = None
    ) -> str:
        """Queue one event under `request_id` (the caller's 202 id) or a new id; every attempt carries it."""
        now = self._clock.now()
        rid = request_id or self._engine.new_request_id()
        item = AsyncItem(rid, route.function, target, qualifier, payload, source, now)
        self._emit(AsyncEventAccepted(now, rid, route.function, route.qualifier, source))
        self._enqueue(item, now + self._options.async_poll_delay_s)
        return rid

    def _enqueue(self, item: AsyncItem, due: float) -> None:
        self._queue.push(item, due)
        if due < self._timer_at:
            if self._timer is not None:
                self._timer.cancel()
            self._timer_at = due
            self._timer = self._clock.schedule_at(due, self._poll)

    def wake(self) -> None:
        """Look at the queue again: a durable store may hold events this engine did not enqueue itself (another
        process accepted them, or they came back after their claimant died)."""
        nxt = self._queue.next_due()
        if nxt is not None and nxt < self._timer_at:
            if self._timer is not None:
                self._timer.cancel()
            self._timer_at = nxt
            self._timer = self._clock.schedule_at(nxt, self._poll)

    def _poll(self) -> None:
        self._timer, self._timer_at = None, float("inf")
        now = self._clock.now()
        for item in self._queue.pop_due(now, self._options.async_batch):
            self._attempt(item, now)
        self.wake()

    # --- attempts ----------------------------------------------------------------------------------------------

    def _attempt(self, item: AsyncItem, now: float) -> None:
        engine = self._engine
        try:
            route = engine.router.route_for(item.target, item.qualifier)
        except LambdaError:
            self._settle_dropped(item, item.function, item.qualifier or "$LATEST", FUNCTION_DELETED, now)
            return
        if route.fn.reserved_concurrency == 0:
            # semantics §2, §8: no retries; straight to DLQ / on-failure destination.
            self._fail(item, route, ZERO_RESERVED_CONCURRENCY, now)
            return
        if now - item.accepted_at >= route.async_config.max_event_age_s:
            self._fail(item, route, EVENT_AGE_EXCEEDED, now)
            return
        p = self._options.duplicate_probability
        if p and engine.rng.random() < p:
            self._emit(DuplicateDelivered(now, item.request_id, item.function, "function"))
            # attempt 0 marks the duplicate in InvocationCompleted; its outcome does not touch the item.
            engine._start(
                new_attempt(
                    request_id=item.request_id,
                    payload=item.payload,
                    route=route,
                    source=item.source,
                    invocation_type=InvocationType.EVENT,
                    number=0,
                )
            )
        engine._start(
            new_attempt(
                request_id=item.request_id,
                payload=item.payload,
                route=route,
                source=item.source,
                invocation_type=InvocationType.EVENT,
                number=item.attempts + 1,
                item=item,
            )
        )

    def completed(self, item: AsyncItem, route: Route, result: InvokeResult) -> None:
        """An attempt ran (success, function error or timeout)."""
        item.attempts += 1
        item.last = result
        item.backoff = 0.0  # a throttle streak, if any, has ended
        now = self._clock.now()
        if result.outcome is Outcome.SUCCESS:
            self._succeed(item, route, result, now)
            return
        delays = self._options.function_error_retry_delays_s
        if item.retries < route.async_config.max_retry_attempts:
            delay = delays[min(item.retries, len(delays) - 1)]
            item.retries += 1
            self._retry(item, route, "FunctionError", delay, now)
        else:
            self._fail(item, route, RETRIES_EXHAUSTED, now)

    def refused(self, item: AsyncItem, route: Route, result: InvokeResult) -> None:
        """An attempt was throttled (429) or failed in the service (500): back off and requeue."""
        item.last_refusal = result
        opts = self._options
        item.backoff = (
            opts.throttle_backoff_initial_s if not item.backoff else min(opts.throttle_backoff_max_s, item.backoff * 2)
        )
        cause = "Throttled" if result.outcome is Outcome.THROTTLED else "ServiceError"
        self._retry(item, route, cause, item.backoff, self._clock.now())

    def _retry(self, item: AsyncItem, route: Route, cause: str, delay: float, now: float) -> None:
        # Never wait past the event's age limit: it is dropped as EventAgeExceeded when that comes.
        due = min(now + delay, item.accepted_at + route.async_config.max_event_age_s)
        self._emit(RetryScheduled(now, item.request_id, route.function, route.qualifier, cause, item.attempts, due))
        self._enqueue(item, due)

    # --- terminal outcomes ---------------------------------------------------------------------------------------

    def _succeed(self, item: AsyncItem, route: Route, result: InvokeResult, now: float) -> None:
        destination = route.async_config.on_success
        if destination:
            record = self._record(item, route, SUCCESS, now)
            self._deliver(destination, record, "OnSuccess", SUCCESS, item, route, now)
        self._emit(AsyncEventProcessed(now, item.request_id, route.function, route.qualifier, SUCCESS, item.attempts))
        self._queue.ack(item.request_id)

    def _fail(self, item: AsyncItem, route: Route, condition: str, now: float) -> None:
        last = item.last
        version = last.executed_version if last is not None else route.primary.version
        dlq = route.fn.versions[version].dlq_arn if version in route.fn.versions else None
        if dlq:
            code, message = self._error_of(item)
            attributes = dlq_attributes(item.request_id, code, message)
            if self._send(dlq, item.payload, attributes, item, now):
                self._emit(DeliveredToDLQ(now, item.request_id, route.function, dlq, str(code)))
            else:  # DeadLetterErrors: the event is deleted all the same (semantics §2)
                failed = DeliveryFailed(now, item.request_id, route.function, route.qualifier, "DeadLetterQueue", dlq)
                self._emit(failed)
        destination = route.async_config.on_failure
        if destination:
            record = self._record(item, route, condition, now)
            self._deliver(destination, record, "OnFailure", condition, item, route, now)
        count = 0 if condition == ZERO_RESERVED_CONCURRENCY else item.attempts
        self._settle_dropped(item, route.function, route.qualifier, condition, now, count)

    def _settle_dropped(
        self, item: AsyncItem, function: str, qualifier: str, condition: str, now: float, count: int | None = None
    ) -> None:
        """The terminal failure fact (AWS's AsyncEventsDropped); DLQ/destination deliveries were emitted before."""
        self._emit(
            AsyncEventDropped(
                now, item.request_id, function, qualifier, condition, item.attempts if count is None else count
            )
        )
        self._queue.ack(item.request_id)

    @staticmethod
    def _error_of(item: AsyncItem) -> tuple[int, str]:
        """DLQ ErrorCode/ErrorMessage: the last invocation's status ("200" for a function error), else the refusal."""
        if item.last is not None:
            body = item.last.payload if isinstance(item.last.payload, dict) else {}
            return item.last.status_code, str(body.get("errorMessage", ""))
        if item.last_refusal is not None:
            body = item.last_refusal.payload if isinstance(item.last_refusal.payload, dict) else {}
            return item.last_refusal.status_code, str(body.get("message", ""))
        return 429, "Rate Exceeded."

    def _record(self, item: AsyncItem, route: Route, condition: str, now: float) -> dict[str, Any]:
        last = item.last if condition != ZERO_RESERVED_CONCURRENCY else None
        return invocation_record(
            timestamp=iso_timestamp(self._options.epoch + now),
            request_id=item.request_id,
            function_arn=route.arn,
            condition=condition,
            approximate_invoke_count=0 if condition == ZERO_RESERVED_CONCURRENCY else item.attempts,
            request_payload=item.payload,
            status_code=last.status_code if last is not None else None,
            executed_version=last.executed_version if last is not None else None,
            function_error=last.function_error if last is not None else None,
            response_payload=last.payload if last is not None else None,
        )

    # --- delivery ----------------------------------------------------------------------------------------------

    def _deliver(
        self, arn: str, record: dict, kind: str, condition: str, item: AsyncItem, route: Route, now: float
    ) -> None:
        """Send an invocation record to a destination: Lambda (async invoke), EventBridge (detail) or SQS/SNS/S3.
        A destination function that cannot be invoked (gone, a bad qualifier) keeps the record in the outbox and
        counts as DestinationDeliveryFailures, as a refused queue or topic does."""
        delivered = True
        if arn.startswith("arn:aws:lambda:") and ":function:" in arn:
            try:
                self._engine.invoke_async(arn, record, source="destination")
            except LambdaError:
                self._send(arn, record, None, item, now)
                delivered = False
        else:
            body = record
            if arn.startswith("arn:aws:events:"):
                body = eventbridge_envelope(arn, route.arn, record, condition == SUCCESS)
            delivered = self._send(arn, body, None, item, now)
        rid, function, qualifier = item.request_id, route.function, route.qualifier
        if delivered:
            self._emit(DestinationDelivered(now, rid, function, qualifier, condition, kind, arn))
        else:
            self._emit(DeliveryFailed(now, rid, function, qualifier, kind, arn))

    def _send(self, arn: str, body: Any, attributes: dict | None, item: AsyncItem, now: float) -> bool:
        """True when the target took the message (a duplicate, if drawn, is sent only then)."""
        targets = self._engine.targets
        if targets.send(arn, body, attributes) is False:
            return False
        p = self._options.duplicate_probability
        if p and self._engine.rng.random() < p:
            targets.send(arn, body, attributes)
            self._emit(DuplicateDelivered(now, item.request_id, item.function, arn))
        return True
