"""The Python SDK against the fault-injecting stub (tests/sdk/stub_server.py): proxies' HTML
errors, empty bodies, slow answers, reset connections, 429s; retries, timeouts, options."""

from __future__ import annotations

import asyncio
import time
import warnings

import httpx
import pytest
from specserve_client import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncSpecserveClient,
    BadGatewayError,
    ConflictError,
    InternalServerError,
    PayloadTooLargeError,
    RateLimitError,
    RetryPolicy,
    ServiceUnavailableError,
    SpecserveClient,
    UnprocessableEntityError,
    UnprocessableError,
)

ROW = [1500.5, 2, 0.75]
FAST = RetryPolicy(max_retries=2, backoff=0.01, max_backoff=0.05)


def client(url: str, **options) -> SpecserveClient:
    return SpecserveClient(url, api_key="ssk_stub_key", retry=FAST, **options)


@pytest.mark.parametrize(
    ("fault", "cls", "status"),
    [("html-503", ServiceUnavailableError, 503), ("html-502", BadGatewayError, 502)],
)
def test_a_proxy_html_error_maps_to_its_class_and_is_retried(stub, fault, cls, status):
    url = stub.url(fault)
    with client(url) as api, pytest.raises(cls) as caught:
        api.predict(ROW)
    error = caught.value
    assert isinstance(error, InternalServerError) and isinstance(error, APIStatusError)
    assert error.status_code == status and error.code == f"http_{status}"
    assert "nginx" in error.message and error.body == {}
    assert error.request_id == "stub-request-1"  # from the X-Request-ID header
    assert error.response.headers["content-type"] == "text/html"
    assert stub.count(url) == 3  # predictions are idempotent: the first try and 2 retries


def test_nginx_413_html_and_an_empty_500_map_to_their_classes(stub):
    url = stub.url("html-413")
    with client(url) as api, pytest.raises(PayloadTooLargeError) as too_large:
        api.predict(ROW)
    assert too_large.value.status_code == 413 and stub.count(url) == 1  # never retried
    url = stub.url("empty-500")
    with client(url) as api, pytest.raises(InternalServerError) as empty:
        api.get_metrics()
    assert empty.value.code == "http_500" and empty.value.message


def test_a_transient_502_is_retried_to_success(stub):
    url = stub.url("html-502-once")
    with client(url) as api:
        assert api.predict(ROW).model_version == "1.0.0"
    assert stub.count(url) == 2


def test_a_slow_answer_raises_a_timeout_inside_the_error_tree(stub):
    url = stub.url("slow")
    started = time.monotonic()
    with client(url, timeout=0.3) as api, pytest.raises(APITimeoutError) as caught:
        api.predict(ROW)
    assert isinstance(caught.value, APIConnectionError) and isinstance(caught.value, APIError)
    assert stub.count(url) == 3 and time.monotonic() - started < 1.9  # retried, each timed out
    url = stub.url("slow")
    with client(url) as api, pytest.raises(APITimeoutError):
        api.predict(ROW, timeout=0.3, max_retries=0)  # per call
    assert stub.count(url) == 1


def test_a_call_that_may_have_been_processed_is_retried_only_if_idempotent(stub):
    url = stub.url("reset")
    with client(url) as api, pytest.raises(APIConnectionError) as caught:
        api.predict(ROW)
    assert not isinstance(caught.value, APITimeoutError) and stub.count(url) == 3
    url = stub.url("reset")
    with client(url) as api, pytest.raises(APIConnectionError):
        api.issue_token(scope="predict")  # POST without x-idempotent: never repeated
    assert stub.count(url) == 1
    url = stub.url("html-503")
    with client(url) as api, pytest.raises(ServiceUnavailableError):
        api.issue_token()
    assert stub.count(url) == 1


def test_a_connection_reset_once_is_retried_to_success(stub):
    url = stub.url("reset-once")
    with client(url) as api:
        assert len(api.batch_predict([]).predictions) == 1
    assert stub.count(url) == 2


def test_statuses_that_say_not_processed_are_retried_for_any_operation(stub):
    url = stub.url("problem-409-once")
    with client(url) as api:
        assert api.issue_token().token_type == "Bearer"
    assert stub.count(url) == 2
    url = stub.url("problem-409")
    with client(url) as api, pytest.raises(ConflictError) as caught:
        api.issue_token()
    assert caught.value.code == "conflict" and caught.value.problem is not None


@pytest.mark.parametrize("fault", ["429-once", "429-ratelimit-once"])
def test_429_waits_for_retry_after_or_the_ratelimit_reset(stub, fault):
    url = stub.url(fault)
    started = time.monotonic()
    with client(url) as api:
        assert api.predict(ROW).prediction == 1.0
    assert stub.count(url) == 2 and time.monotonic() - started >= 1.0


def test_a_retry_after_beyond_the_cap_raises_at_once(stub):
    url = stub.url("429-long")
    with client(url) as api, pytest.raises(RateLimitError) as caught:
        api.predict(ROW)
    assert caught.value.retry_after == 3600 and stub.count(url) == 1


def test_a_request_costing_more_than_the_whole_limit_is_never_retried(stub):
    url = stub.url("429-cost")
    with client(url) as api, pytest.raises(RateLimitError) as caught:
        api.predict(ROW)
    assert caught.value.code == "cost_exceeds_limit" and caught.value.retry_after is None
    assert stub.count(url) == 1


def test_a_used_up_quota_is_raised_at_once_though_its_retry_after_is_short(stub):
    url = stub.url("429-quota")
    with client(url) as api, pytest.raises(RateLimitError) as caught:
        api.predict(ROW)
    assert caught.value.code == "quota_exceeded" and caught.value.retry_after == 1
    assert stub.count(url) == 1


def test_unhealthy_health_is_a_result_but_predictions_raise(stub):
    url = stub.url("unhealthy")
    with client(url) as api:
        assert api.health_check().status == "unhealthy"
        assert stub.count(url) == 1
        with pytest.raises(ServiceUnavailableError) as caught:
            api.predict(ROW)
    assert caught.value.code == "model_unavailable"


def test_options_per_client_and_raw_responses(stub):
    url = stub.url("html-503")
    with client(url) as api:
        with pytest.raises(ServiceUnavailableError):
            api.with_options(max_retries=0).predict(ROW)
        assert stub.count(url) == 1
        assert api.max_retries == 2  # the original keeps its own
    url = stub.url("ok")
    with client(url) as api:
        raw = api.with_raw_response.predict(ROW, extra_headers={"X-Request-ID": "mine"})
        assert raw.status_code == 200 and raw.request_id == "stub-request-1"
        assert raw.headers["content-type"] == "application/json"
        assert raw.parse().model_version == "1.0.0"


def test_configuration_from_the_environment(stub, monkeypatch):
    url = stub.url("ok")
    seen: list[httpx.Request] = []
    monkeypatch.setenv("SPECSERVE_BASE_URL", url)
    monkeypatch.setenv("SPECSERVE_API_KEY", "ssk_from_env")
    with SpecserveClient(httpx_args={"event_hooks": {"request": [seen.append]}}) as api:
        assert api.base_url == url
        api.predict(ROW)
    assert seen[0].headers["x-api-key"] == "ssk_from_env"
    monkeypatch.delenv("SPECSERVE_BASE_URL")
    assert SpecserveClient().base_url == "http://127.0.0.1:8000/v1"


def test_deprecated_names_still_work_and_warn(stub):
    assert UnprocessableError is UnprocessableEntityError
    with client(stub.url("problem-409")) as api, pytest.raises(ConflictError) as caught:
        api.issue_token()
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        assert caught.value.error == caught.value.code == "conflict"
        assert caught.value.status == 409
    assert {w.category for w in caught_warnings} == {DeprecationWarning}


def test_the_async_client_maps_and_retries_the_same_way(stub):
    async def scenario():
        html, slow = stub.url("html-503"), stub.url("slow")
        async with AsyncSpecserveClient(html, api_key="ssk_stub_key", retry=FAST) as api:
            with pytest.raises(ServiceUnavailableError):
                await api.predict(ROW)
        async with AsyncSpecserveClient(
            slow, api_key="ssk_stub_key", retry=FAST, timeout=0.3
        ) as api:
            with pytest.raises(APITimeoutError):
                await api.predict_with_model("fraud-detector", ROW)
            raw = await api.with_raw_response.health_check(timeout=5)
        return stub.count(html), stub.count(slow), raw

    html_count, slow_count, raw = asyncio.run(scenario())
    assert (html_count, slow_count) == (3, 4)  # 3 predictions + the raw health call
    assert raw.parse().status == "healthy"
