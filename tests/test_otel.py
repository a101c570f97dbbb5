"""OpenTelemetry through the event hooks: one span per call, metrics, the quota, and nothing secret."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import wolkvox_async as wv
from wolkvox_async._events import CallEvent, Event
from wolkvox_async.otel import Instrumentation, instrument
from wolkvox_async.testing import Fault
from wolkvox_async.testing.pytest_plugin import Emulated

HOST = "wolkvox-emulator.invalid"
"""Where the in-process emulator's clients point."""


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracing(spans: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    return provider


@pytest.fixture
def reader() -> InMemoryMetricReader:
    return InMemoryMetricReader()


@pytest.fixture
def otel(tracing: TracerProvider, reader: InMemoryMetricReader) -> Iterator[Instrumentation]:
    metering = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    yield instrument(tracer_provider=tracing, meter_provider=metering)
    metering.shutdown()


def points(reader: InMemoryMetricReader) -> dict[str, list[Any]]:
    """Each metric's data points, by the metric's name."""
    found: dict[str, list[Any]] = {}
    data = reader.get_metrics_data()
    for resource in data.resource_metrics if data else ():
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                found.setdefault(metric.name, []).extend(metric.data.data_points)
    return found


def by(found: list[Any], *keys: str) -> dict[tuple[Any, ...], Any]:
    """Data points by the values of some of their attributes."""
    return {tuple(point.attributes.get(key) for key in keys): point for point in found}


def one_span(spans: InMemorySpanExporter) -> ReadableSpan:
    """The one span finished since the last one taken."""
    (span,) = spans.get_finished_spans()
    spans.clear()
    return span


def seeded(wolkvox: Emulated) -> str:
    """An agent to dial: its id."""
    return wolkvox.emulator.add_agent("1020", "Ana Ruiz").agent_id


# ------------------------------------------------------------------ spans


@pytest.mark.asyncio
@pytest.mark.wolkvox(latency=0.02)
async def test_one_span_per_call_with_its_attributes_and_times(
    wolkvox_emulator: Emulated, otel: Instrumentation, spans: InMemorySpanExporter
) -> None:
    agent_id = seeded(wolkvox_emulator)
    async with wolkvox_emulator.new_client(event_hooks=otel) as client:
        before = time.time_ns()
        await client.list_agents()
        after = time.time_ns()
        span = one_span(spans)
        await client.list_agents()  # from the agents cache: no call, no span
        assert not spans.get_finished_spans()
        await client.dial(agent_id, "3001234567")
    assert span.name == "wolkvox list_agents"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert span.parent is None
    assert before <= (span.start_time or 0) and (span.end_time or 0) <= after
    assert (span.end_time or 0) - (span.start_time or 0) >= 20_000_000, "it lasted the emulator's latency"
    attributes = dict(span.attributes or {})
    slot_wait = attributes.pop("wolkvox.slot_wait")
    assert isinstance(slot_wait, float) and 0 <= slot_wait < 1
    assert attributes == {
        "wolkvox.operation": "list_agents",
        "wolkvox.priority": "bulk",
        "wolkvox.attempts": 1,
        "wolkvox.outcome": "ok",
        "http.response.status_code": 200,
        "server.address": HOST,
    }
    dial = one_span(spans)
    assert dial.name == "wolkvox dial"
    assert dial.attributes is not None and dial.attributes["wolkvox.priority"] == "interactive"


@pytest.mark.asyncio
async def test_a_retried_call_is_one_span_with_its_attempts(
    wolkvox_emulator: Emulated, otel: Instrumentation, spans: InMemorySpanExporter
) -> None:
    wolkvox_emulator.emulator.queue_faults(Fault.SERVER_ERROR, operations=["agents"])
    async with wolkvox_emulator.new_client(event_hooks=otel) as client:
        await client.list_agents()
    assert wolkvox_emulator.emulator.stats().calls["agents"] == 2
    span = one_span(spans)
    assert span.attributes is not None
    assert span.attributes["wolkvox.attempts"] == 2
    assert span.attributes["wolkvox.outcome"] == "ok"
    assert span.attributes["http.response.status_code"] == 404, "the emulator's empty report"
    assert span.status.status_code is StatusCode.UNSET


@pytest.mark.asyncio
async def test_a_failed_call_is_an_error_span_naming_the_error_s_class(
    wolkvox_emulator: Emulated, otel: Instrumentation, spans: InMemorySpanExporter
) -> None:
    wolkvox_emulator.emulator.queue_faults(Fault.SERVER_ERROR, Fault.SERVER_ERROR, operations=["agents"])
    async with wolkvox_emulator.new_client(event_hooks=otel, max_retries=1) as client:
        with pytest.raises(wv.ServerError):
            await client.list_agents()
    span = one_span(spans)
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "ServerError"
    assert span.attributes is not None
    assert span.attributes["error.type"] == span.attributes["wolkvox.outcome"] == "ServerError"
    assert span.attributes["wolkvox.attempts"] == 2
    assert span.attributes["http.response.status_code"] == 500


@pytest.mark.asyncio
async def test_a_call_s_span_is_a_child_of_the_caller_s_current_span(
    wolkvox_emulator: Emulated, otel: Instrumentation, spans: InMemorySpanExporter, tracing: TracerProvider
) -> None:
    agent_id = seeded(wolkvox_emulator)
    tracer = tracing.get_tracer("the application")
    async with wolkvox_emulator.new_client(event_hooks=otel) as client:
        with tracer.start_as_current_span("ring the agent") as parent:
            await asyncio.gather(client.dial(agent_id, "300"), client.dial(agent_id, "301"))
        await client.dial(agent_id, "302")
    first, second, parent_span, alone = spans.get_finished_spans()
    assert parent_span.name == "ring the agent"
    for child in (first, second):
        assert child.parent is not None
        assert child.parent.span_id == parent.get_span_context().span_id
        assert child.context is not None and child.context.trace_id == parent.get_span_context().trace_id
    assert alone.parent is None


@pytest.mark.asyncio
@pytest.mark.wolkvox(licences=2)
async def test_no_secret_or_query_value_in_any_span_or_metric(
    wolkvox_emulator: Emulated,
    otel: Instrumentation,
    spans: InMemorySpanExporter,
    reader: InMemoryMetricReader,
) -> None:
    password, phone, customer = "Zq#7pass", "3009876543", "Quiteuniquename"
    emulator = wolkvox_emulator.emulator
    emulator.queue_faults(Fault.SERVER_ERROR, operations=["dial"])
    emulator.queue_faults(Fault.HTML, operations=["agents"])
    async with wolkvox_emulator.new_client(event_hooks=otel) as client:
        otel.observe_quota(client)
        new = await client.create_agent(dni="1020", name="Ana Ruiz", sso="ana", password=password)
        for _ in range(2):  # an error, then an answer
            with contextlib.suppress(wv.ServerError):
                await client.dial(new.agent_id, phone, customer_name=customer, customer_id="cust-77")
        await client.list_agents(new.agent_id)
    exported = [span.to_json() for span in spans.get_finished_spans()]
    assert [span.status.status_code.name for span in spans.get_finished_spans()] == [
        "UNSET", "ERROR", "UNSET", "UNSET",
    ]  # fmt: skip
    metrics = reader.get_metrics_data()
    assert metrics is not None
    everything = "\n".join([*exported, metrics.to_json()])
    for secret in (wolkvox_emulator.token, password, phone, customer, "cust-77"):
        assert secret not in everything


# ------------------------------------------------------------------ metrics


@pytest.mark.asyncio
async def test_metrics_count_calls_waits_and_requests_in_flight(
    wolkvox_emulator: Emulated, otel: Instrumentation, reader: InMemoryMetricReader
) -> None:
    agent_id = seeded(wolkvox_emulator)
    wolkvox_emulator.emulator.queue_faults(Fault.SERVER_ERROR, operations=["agents"])
    async with wolkvox_emulator.new_client(event_hooks=otel, agents_cache_ttl=0) as client:
        await client.list_agents()  # two attempts
        await client.list_agents()
        await client.dial(agent_id, "300")
        with pytest.raises(wv.NotFoundError):
            await client.dial("999", "300")
    found = points(reader)
    calls = by(found["wolkvox.client.calls"], "wolkvox.operation", "wolkvox.outcome")
    assert {key: point.value for key, point in calls.items()} == {
        ("list_agents", "ok"): 2,
        ("dial", "ok"): 1,
        ("dial", "NotFoundError"): 1,
    }
    waits = by(found["wolkvox.client.slot_wait"], "wolkvox.operation", "wolkvox.priority")
    assert {key: point.count for key, point in waits.items()} == {
        ("list_agents", "bulk"): 3,
        ("dial", "interactive"): 2,
    }, "one per attempt"
    assert all(0 <= point.sum < 1 for point in waits.values())
    durations = by(found["wolkvox.client.call.duration"], "wolkvox.operation", "wolkvox.outcome")
    assert {key: point.count for key, point in durations.items()} == {
        key: point.value for key, point in calls.items()
    }
    assert [point.value for point in found["wolkvox.client.active_requests"]] == [0, 0]


@pytest.mark.asyncio
@pytest.mark.wolkvox(latency=0.2)
async def test_requests_in_flight_while_they_are_and_after_a_cancelled_one(
    wolkvox_emulator: Emulated, otel: Instrumentation, reader: InMemoryMetricReader
) -> None:
    agent_id = seeded(wolkvox_emulator)

    def in_flight() -> int:
        return sum(point.value for point in points(reader).get("wolkvox.client.active_requests", []))

    async with wolkvox_emulator.new_client(event_hooks=otel) as client:
        calls = [asyncio.create_task(client.dial(agent_id, str(300 + i))) for i in range(3)]
        await asyncio.sleep(0.1)
        assert in_flight() == 2, "the token's two slots are busy, the third waits"
        await asyncio.gather(*calls)
        assert in_flight() == 0
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(client.dial(agent_id, "303"), 0.05)
        assert in_flight() == 0
    calls_by = by(points(reader)["wolkvox.client.calls"], "wolkvox.outcome")
    assert calls_by[("CancelledError",)].value == 1


@pytest.mark.asyncio
@pytest.mark.wolkvox(licences=2)
async def test_quota_gauges_read_each_observed_token_once(
    wolkvox_emulator: Emulated, otel: Instrumentation, reader: InMemoryMetricReader
) -> None:
    wolkvox_emulator.emulator.add_token("another")
    client = wolkvox_emulator.new_client(event_hooks=otel, agents_cache_ttl=0)
    same_token = wolkvox_emulator.new_client(event_hooks=otel)
    unlimited = wv.Client("0032", "another", base_url="http://127.0.0.1:9", event_hooks=otel)
    for observed in (client, same_token, unlimited):
        otel.observe_quota(observed)
    async with client, same_token, unlimited:
        await client.list_agents()
        await same_token.list_agents(refresh=True)
    assert client.quota().used == 2
    found = points(reader)
    key = client._transport.scheduler.key
    other = unlimited._transport.scheduler.key
    used = by(found["wolkvox.client.quota.used"], "wolkvox.token.key")
    remaining = by(found["wolkvox.client.quota.remaining"], "wolkvox.token.key")
    assert {k: point.value for k, point in used.items()} == {(key,): 2, (other,): 0}
    assert {k: point.value for k, point in remaining.items()} == {(key,): 1998}, "no limit, no remaining"
    assert used[(key,)].attributes["server.address"] == HOST
    assert used[(other,)].attributes == {
        "wolkvox.token.key": other,
        "server.address": "127.0.0.1",
        "server.port": 9,
    }
    del client, same_token, unlimited, observed
    gc.collect()
    assert not points(reader).get("wolkvox.client.quota.used"), "a Client gone is no longer observed"


# ------------------------------------------------------------------ the call event


@pytest.mark.asyncio
async def test_the_call_event_comes_once_per_call_after_its_last_response(wolkvox_emulator: Emulated) -> None:
    events: list[Event] = []

    async def on_call(event: Event) -> None:
        events.append(event)

    hooks = {"response": [events.append], "call": [on_call]}
    wolkvox_emulator.emulator.queue_faults(Fault.SERVER_ERROR, operations=["agents"])
    async with wolkvox_emulator.new_client(event_hooks=hooks, agents_cache_ttl=0) as client:
        await client.list_agents()
        with pytest.raises(wv.NotFoundError):
            await client.dial("999", "300")
    kinds = [type(event).__name__ for event in events]
    assert kinds == ["ResponseEvent", "ResponseEvent", "CallEvent", "ResponseEvent", "CallEvent"]
    listed, dialled = (event for event in events if isinstance(event, CallEvent))
    assert listed.operation == "list_agents" and listed.priority == "bulk"
    assert (listed.attempts, listed.status, listed.error) == (2, 404, None)
    assert listed.url.startswith(f"http://{HOST}/") and "?" not in listed.url
    assert 0 <= listed.slot_wait <= listed.elapsed
    assert (dialled.attempts, dialled.status, dialled.error) == (1, 404, "NotFoundError")


@pytest.mark.asyncio
async def test_a_call_refused_before_it_is_sent_emits_no_call_event(wolkvox_emulator: Emulated) -> None:
    events: list[Event] = []
    client = wolkvox_emulator.new_client(event_hooks={"call": [events.append]})
    with pytest.raises(wv.InvalidArgumentError):
        await client.dial("1001", "not a phone")
    await client.aclose()
    with pytest.raises(wv.ClientClosedError):
        await client.list_agents()
    assert events == []
