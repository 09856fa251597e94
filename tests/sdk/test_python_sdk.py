"""The generated Python SDK (generated/python-client) against the live service."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from specserve_client import (
    NO_RETRIES,
    APIConnectionError,
    AsyncSpecserveClient,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    PredictionMetadata,
    RateLimitError,
    RetryPolicy,
    ServiceUnavailableError,
    SpecserveClient,
    UnprocessableEntityError,
)
from specserve_client.api.predictions import predict as predict_op
from specserve_client.models import Error, PredictionRequest

from tests.live import free_port

ROWS = [[1500.50, 2, 0.75], [2000.00, 3, 0.85], [500.25, 1, 0.60]]
FAST_RETRIES = RetryPolicy(max_retries=2, backoff=0.05, max_backoff=0.2)


def counting(attempts: list[str]) -> dict:
    """httpx arguments that record every attempt's method and path."""

    def hook(request: httpx.Request) -> None:
        attempts.append(f"{request.method} {request.url.path}")

    return {"event_hooks": {"request": [hook]}}


def test_predict_batch_health_and_models_with_an_api_key(token_service, api_key):
    with SpecserveClient(token_service.base_url, api_key=api_key) as api:
        one = api.predict(ROWS[0], metadata=PredictionMetadata(request_id="sdk-1"))
        assert one.request_id == "sdk-1" and one.model_version == "1.0.0"
        assert 0 <= one.probability <= 1
        batch = api.batch_predict([PredictionRequest(row) for row in ROWS])
        assert [p.prediction for p in batch.predictions] == [
            api.predict(row).prediction for row in ROWS
        ]
        health = api.health()
        assert health.status == "healthy" and health.model_loaded is True
        listing = api.models()
        assert listing.default_model == "fraud-detector"
        assert [m.name for m in listing.models] == ["fraud-detector"]
        meta = api.model("fraud-detector")
        assert meta.n_features == 3 and len(meta.feature_names) == 3
        # query parameters reach the service under their names
        full = api.predict(ROWS[0], probabilities=True)
        assert len(full.probabilities) == len(meta.classes)
        versioned = api.predict_with_model_version("fraud-detector", "1.0.0", ROWS[0])
        assert versioned.model_version == "1.0.0"
        # named features: a plain dict, the same answer as the positional row
        named = api.predict(dict(zip(meta.feature_names, ROWS[0], strict=True)))
        assert named.prediction == one.prediction and named.probability == one.probability
        with pytest.raises(UnprocessableEntityError) as refused:
            api.predict({**dict(zip(meta.feature_names, ROWS[0], strict=True)), "nope": 1})
        assert refused.value.code == "unknown_input"


def test_a_bearer_token_from_the_api_key_works_and_carries_its_scope(token_service, api_key):
    with SpecserveClient(token_service.base_url, api_key=api_key) as api:
        granted = api.issue_token(scope="predict")
    assert granted.token_type == "Bearer" and granted.scope == "predict"
    with SpecserveClient(token_service.base_url, token=granted.access_token) as api:
        assert api.predict(ROWS[0]).model_version == "1.0.0"
        with pytest.raises(PermissionDeniedError) as denied:
            api.models()  # needs models:read, which this token does not carry
    assert denied.value.status_code == 403 and denied.value.code == "insufficient_scope"


def test_401_raises_authentication_error_with_the_request_id(token_service):
    headers = {"X-Request-ID": "sdk-unauthorized-1"}
    api = SpecserveClient(token_service.base_url, api_key="ssk_nope_nope", headers=headers)
    with api, pytest.raises(AuthenticationError) as caught:
        api.predict(ROWS[0])
    error = caught.value
    assert (error.status_code, error.code) == (401, "unauthorized")
    assert error.request_id == "sdk-unauthorized-1"
    assert isinstance(error.problem, Error) and error.problem.status == 401
    assert "sdk-unauthorized-1" in str(error)


def test_404_and_422_raise_their_classes(token_service, api_key):
    with SpecserveClient(token_service.base_url, api_key=api_key) as api:
        with pytest.raises(NotFoundError) as missing:
            api.model("no-such-model")
        with pytest.raises(UnprocessableEntityError) as unfit:
            api.predict([1.0, 2.0])
    assert missing.value.code == "model_not_found" and missing.value.request_id
    assert unfit.value.code == "feature_count_mismatch"


def test_503_is_retried_with_backoff_then_raised(unhealthy_service, api_key):
    attempts: list[str] = []
    api = SpecserveClient(
        unhealthy_service.base_url,
        api_key=api_key,
        retry=FAST_RETRIES,
        httpx_args=counting(attempts),
    )
    with api:
        with pytest.raises(ServiceUnavailableError) as caught:
            api.predict(ROWS[0])
        assert attempts == ["POST /v1/predict"] * 3  # the first try and 2 retries
        assert caught.value.status_code == 503 and caught.value.request_id
        health = api.health()  # an unhealthy service answers with its Health, no retries
    assert health.status == "unhealthy" and health.model_version is None
    assert attempts[3:] == ["GET /v1/health"]


def test_connection_errors_are_retried_a_bounded_number_of_times():
    attempts: list[str] = []
    api = SpecserveClient(
        f"http://127.0.0.1:{free_port()}/v1",
        api_key="ssk_x_y",
        retry=FAST_RETRIES,
        httpx_args=counting(attempts),
    )
    started = time.monotonic()
    with api, pytest.raises(APIConnectionError):
        api.health()
    assert len(attempts) == 3
    assert time.monotonic() - started >= 0.05 * 0.5 + 0.1 * 0.5  # two backoffs, jittered


def test_retry_policy_backoff_is_exponential_bounded_and_honours_retry_after():
    policy = RetryPolicy(max_retries=4, backoff=1.0, max_backoff=3.0, jitter=0.5)
    waits = [policy.wait(n, None) for n in range(4)]
    for wait, full in zip(waits, [1.0, 2.0, 3.0, 3.0], strict=True):
        assert full * 0.5 <= wait <= full
    assert policy.wait(4, None) is None  # bounded
    assert 7.0 <= policy.wait(0, 7.0) <= 7.5  # Retry-After wins, never earlier
    assert policy.wait(0, 120.0) is None  # longer than max_retry_after: give up at once


def test_the_async_client_does_the_same(token_service, api_key):
    async def scenario():
        async with AsyncSpecserveClient(token_service.base_url, api_key=api_key) as api:
            one, batch, health, listing, meta = await asyncio.gather(
                api.predict(ROWS[0], metadata=PredictionMetadata(request_id="async-1")),
                api.batch_predict([PredictionRequest(row) for row in ROWS]),
                api.health(),
                api.models(),
                api.model("fraud-detector"),
            )
            token = await api.issue_token()
        async with AsyncSpecserveClient(token_service.base_url, token=token.access_token) as api:
            via_token = await api.predict(ROWS[0])
        async with AsyncSpecserveClient(token_service.base_url, api_key="ssk_a_b") as api:
            with pytest.raises(AuthenticationError) as caught:
                await api.models()
        return one, batch, health, listing, meta, via_token, caught.value

    one, batch, health, listing, meta, via_token, error = asyncio.run(scenario())
    assert one.request_id == "async-1" and len(batch.predictions) == 3
    assert health.status == "healthy" and listing.default_model == meta.name
    assert via_token.prediction == one.prediction
    assert error.status_code == 401 and error.request_id


def test_the_per_operation_functions_work_with_the_generated_client(token_service, api_key):
    api = SpecserveClient(token_service.base_url, api_key=api_key)
    response = predict_op.sync_detailed(client=api.client, body=PredictionRequest(features=ROWS[0]))
    assert response.status_code == 200 and response.parsed.model_version == "1.0.0"
    assert response.headers["x-request-id"]


def test_429_is_retried_after_retry_after_and_then_succeeds(rate_limited_service, api_key):
    """The service allows 3 requests per second per key (SPECSERVE_RATE_LIMIT)."""
    url = rate_limited_service.base_url
    hasty = SpecserveClient(url, api_key=api_key, retry=NO_RETRIES)
    with hasty, pytest.raises(RateLimitError) as limited:
        for _ in range(20):
            hasty.predict(ROWS[0])
    assert limited.value.status_code == 429 and limited.value.retry_after is not None
    attempts: list[str] = []
    patient = SpecserveClient(
        url, api_key=api_key, retry=RetryPolicy(max_retries=3), httpx_args=counting(attempts)
    )
    with patient:
        started = time.monotonic()
        for _ in range(6):  # twice the quota: some calls must wait and retry
            assert patient.predict(ROWS[0]).model_version == "1.0.0"
    assert len(attempts) > 6, "no call was retried"
    assert time.monotonic() - started >= 0.5


def test_every_other_operation_and_the_rate_limit_headers(token_service, api_key, keys_file):
    from specserve.auth.filestore import FileKeyStore

    admin_key = FileKeyStore(keys_file).create("sdk-admin", scopes=["admin", "metrics:read"])[1]
    with SpecserveClient(token_service.base_url, api_key=api_key) as api:
        named = api.predict_with_model("fraud-detector", ROWS[0])
        batch = api.batch_predict_with_model("fraud-detector", [PredictionRequest(ROWS[0])])
        assert named.prediction == batch.predictions[0].prediction
        raw = api.with_raw_response.predict(ROWS[0])
        assert raw.status_code == 200 and raw.request_id
        assert int(raw.headers["x-ratelimit-remaining"]) >= 0 and "RateLimit" in raw.headers
        assert "ML Model Inference API" in api.get_docs()
        with pytest.raises(PermissionDeniedError):
            api.reload_models()  # the default scopes exclude admin
    with SpecserveClient(token_service.base_url, api_key=admin_key) as admin:
        assert admin.reload_models().default_model == "fraud-detector"
        assert "specserve_http_requests_total" in admin.get_metrics()
