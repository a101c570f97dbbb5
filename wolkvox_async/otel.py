"""OpenTelemetry spans and metrics of a Client's calls, recorded by its event hooks.

    from wolkvox_async.otel import instrument

    otel = instrument()  # the global providers, or tracer_provider=, meter_provider=
    async with wv.Client(server="0032", token=TOKEN, licences=5, event_hooks=otel) as client:
        otel.observe_quota(client)
        ...

One span per call, not per attempt, as a child of the caller's current span,
and metrics of calls, slot waits, requests in flight and the daily quota.
Nothing secret is recorded: no token, password, query value or body. Needs
the ``otel`` extra (``pip install 'wolkvox-async[otel]'``: opentelemetry-api);
the SDK and its exporters are yours to choose. What is recorded is in the
README ("Observability: OpenTelemetry").
"""

from __future__ import annotations

import contextvars
import functools
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from ._errors import MissingExtraError

try:
    from opentelemetry import metrics, trace
except ImportError as exc:
    raise MissingExtraError("wolkvox_async.otel", "otel", "opentelemetry-api") from exc

from opentelemetry.metrics import CallbackOptions, Histogram, Meter, Observation
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.util.types import AttributeValue

from ._events import CallEvent, Event, Hook, RequestEvent, ResponseEvent, SlotWaitEvent
from ._models import QuotaSnapshot
from ._version import __version__

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["Instrumentation", "instrument"]

Attributes = dict[str, AttributeValue]

SECONDS: Final = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
"""Histogram buckets for waits and calls: milliseconds to a 60 s deadline, and quota waits beyond."""


def instrument(
    *,
    tracer_provider: trace.TracerProvider | None = None,
    meter_provider: metrics.MeterProvider | None = None,
) -> Instrumentation:
    """Event hooks recording spans and metrics: ``Client(..., event_hooks=instrument())``.

    Without providers, the global ones are used, even if they are set later.
    """
    return Instrumentation(tracer_provider=tracer_provider, meter_provider=meter_provider)


class Instrumentation(Mapping[str, tuple[Hook, ...]]):
    """The hooks ``instrument()`` makes: a Client's ``event_hooks``, for as many Clients as you like.

    Hooks cannot read a Client's quota: ``observe_quota(client)`` adds one to
    the quota gauges. To add hooks of your own, merge: ``{**otel, "retry": [mine]}``.
    """

    def __init__(
        self,
        *,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._tracer = trace.get_tracer("wolkvox_async", __version__, tracer_provider)
        meter = metrics.get_meter("wolkvox_async", __version__, meter_provider)
        self._calls = meter.create_counter(
            "wolkvox.client.calls",
            "{call}",
            "Calls ended, by operation and outcome (ok or the error's class)",
        )
        self._duration = _histogram(
            meter, "wolkvox.client.call.duration", "Calls' durations, queueing and retries included"
        )
        self._slot_wait = _histogram(
            meter, "wolkvox.client.slot_wait", "How long each request waited for a slot of its token"
        )
        self._active = meter.create_up_down_counter(
            "wolkvox.client.active_requests", "{request}", "Requests sent and not yet answered"
        )
        meter.create_observable_gauge(
            "wolkvox.client.quota.used", [self._used], "{call}", "Calls counted against today's quota"
        )
        meter.create_observable_gauge(
            "wolkvox.client.quota.remaining", [self._remaining], "{call}", "Calls left in today's quota"
        )
        self._clients: weakref.WeakSet[Client] = weakref.WeakSet()
        self._lock = threading.Lock()
        # the request this task has in flight: a task sends one at a time, and hooks run in it
        self._sending: contextvars.ContextVar[Attributes | None] = contextvars.ContextVar(
            "wolkvox_async.otel.sending", default=None
        )
        self._hooks: dict[str, tuple[Hook, ...]] = {
            "slot_wait": (self._on_slot_wait,),
            "request": (self._on_request,),
            "response": (self._on_response,),
            "call": (self._on_call,),
        }

    def __getitem__(self, name: str) -> tuple[Hook, ...]:
        return self._hooks[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._hooks)

    def __len__(self) -> int:
        return len(self._hooks)

    def __repr__(self) -> str:
        return f"Instrumentation(hooks={sorted(self._hooks)})"

    def observe_quota(self, client: Client) -> None:
        """Report ``client.quota()`` in the quota gauges, for as long as the Client exists.

        Clients of one token share its quota, so it is reported once per token.
        """
        with self._lock:  # the gauges are read from the metric reader's thread
            self._clients.add(client)

    def _on_slot_wait(self, event: Event) -> None:
        assert isinstance(event, SlotWaitEvent)
        self._slot_wait.record(
            event.waited, {"wolkvox.operation": event.operation, "wolkvox.priority": event.priority}
        )

    def _on_request(self, event: Event) -> None:
        assert isinstance(event, RequestEvent)
        sending: Attributes = {"wolkvox.operation": event.operation}
        self._active.add(1, sending)
        self._sending.set(sending)

    def _on_response(self, event: Event) -> None:
        assert isinstance(event, ResponseEvent)
        self._answered()

    def _answered(self) -> None:
        """The request in flight in this task, if any, is over (an attempt that fails first sent none)."""
        sending = self._sending.get()
        if sending is not None:
            self._active.add(-1, sending)
            self._sending.set(None)

    def _on_call(self, event: Event) -> None:
        assert isinstance(event, CallEvent)
        self._answered()  # a cancelled attempt has no response event
        end = time.time_ns()
        outcome = event.error or "ok"
        attributes: Attributes = {
            "wolkvox.operation": event.operation,
            "wolkvox.priority": event.priority,
            "wolkvox.attempts": event.attempts,
            "wolkvox.slot_wait": event.slot_wait,
            "wolkvox.outcome": outcome,
            **_server(event.url),
        }
        if event.status is not None:
            attributes["http.response.status_code"] = event.status
        if event.error is not None:
            attributes["error.type"] = event.error
        span = self._tracer.start_span(
            f"wolkvox {event.operation}",
            kind=SpanKind.CLIENT,
            attributes=attributes,
            start_time=end - round(event.elapsed * 1e9),
        )
        if event.error is not None:
            span.set_status(Status(StatusCode.ERROR, event.error))
        span.end(end)
        counted: Attributes = {"wolkvox.operation": event.operation, "wolkvox.outcome": outcome}
        self._calls.add(1, counted)
        self._duration.record(event.elapsed, counted)

    def _used(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(quota.used, labels) for labels, quota in self._quotas()]

    def _remaining(self, options: CallbackOptions) -> Iterable[Observation]:
        return [
            Observation(quota.remaining, labels)
            for labels, quota in self._quotas()
            if quota.remaining is not None
        ]

    def _quotas(self) -> list[tuple[Attributes, QuotaSnapshot]]:
        """Each observed token's quota, with what names it: its hash and its server's host."""
        with self._lock:
            clients = list(self._clients)
        seen: dict[str, tuple[Attributes, QuotaSnapshot]] = {}
        for client in clients:
            key = client._transport.scheduler.key
            if key not in seen:
                labels: Attributes = {"wolkvox.token.key": key, **_server(client._target.base_url)}
                seen[key] = (labels, client.quota())
        return list(seen.values())


def _histogram(meter: Meter, name: str, description: str, buckets: Sequence[float] = SECONDS) -> Histogram:
    """A histogram in seconds, with buckets that fit it where the API can say so (1.30 and later)."""
    try:
        return meter.create_histogram(name, "s", description, explicit_bucket_boundaries_advisory=buckets)
    except TypeError:
        return meter.create_histogram(name, "s", description)


@functools.lru_cache(maxsize=256)
def _server(url: str) -> Mapping[str, AttributeValue]:
    """The semantic conventions' ``server.address`` (and ``server.port``, when the URL gives one)."""
    parts = urlsplit(url)
    server: Attributes = {"server.address": parts.hostname or ""}
    if parts.port is not None:
        server["server.port"] = parts.port
    return server
