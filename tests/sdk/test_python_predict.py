"""Issue 25, the Python SDK as an application developer meets it: one `predict` and one
`batch_predict` for every model and version, results without sentinels, a key required up
front, request/retry logging that never shows the key, no retry of a 429 that cannot fit."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

import pytest
from specserve_client import (
    BatchPrediction,
    MissingCredentialsError,
    NotFoundError,
    Prediction,
    PredictionRequest,
    RateLimitError,
    RetryPolicy,
    SpecserveClient,
)
from specserve_client.models import PredictionResponse

from tests.live import ROOT
from tests.sdk.test_generated_types import mypy

ROWS = [[1500.50, 2, 0.75], [500.25, 1, 0.60]]


def test_one_predict_for_the_default_model_a_named_model_and_a_version(token_service, api_key):
    with SpecserveClient(token_service.base_url, api_key=api_key) as api:
        names = api.model("fraud-detector").feature_names
        default = api.predict(ROWS[0])
        named = api.predict(ROWS[0], model="fraud-detector", probabilities=True)
        versioned = api.predict(
            dict(zip(names, ROWS[0], strict=True)), model="fraud-detector", version="1.0.0"
        )
        assert default.prediction == named.prediction == versioned.prediction
        assert isinstance(named, Prediction) and len(named.probabilities or []) >= 2
        with pytest.raises(NotFoundError):
            api.predict(ROWS[0], model="fraud-detector", version="9.9.9")
        with pytest.raises(ValueError, match="model"):
            api.predict(ROWS[0], version="1.0.0")  # refused before any request
        batch = api.batch_predict(ROWS, model="fraud-detector", probabilities=True)
        mixed = api.batch_predict([ROWS[0], dict(zip(names, ROWS[1], strict=True))])
        legacy = api.batch_predict(requests=[PredictionRequest(row) for row in ROWS])
        raw = api.with_raw_response.predict(ROWS[0], model="fraud-detector")
    assert isinstance(batch, BatchPrediction)
    assert [p.prediction for p in batch.predictions] == [p.prediction for p in mixed.predictions]
    assert [p.prediction for p in legacy.predictions] == [p.prediction for p in mixed.predictions]
    assert raw.status_code == 200 and raw.parse().request_id == raw.request_id


def test_results_have_none_a_readable_repr_to_dict_to_json_and_the_request_id(
    token_service, api_key
):
    with SpecserveClient(token_service.base_url, api_key=api_key) as api:
        result = api.predict(ROWS[0])
        batch = api.batch_predict(ROWS)
        health = api.health()
    # not asked for: None, and absent from to_dict() as from the answer
    assert result.probabilities is None and result.score is None and result.label is None
    assert "probabilities" not in result.to_dict() and "Unset" not in repr(result)
    assert repr(result).startswith("PredictionResponse(prediction=")
    assert " at 0x" not in repr(result)
    assert "label=" not in repr(result)  # only the fields that hold a value
    assert json.loads(result.to_json()) == result.to_dict()
    assert result.request_id  # the answer's X-Request-ID when no metadata names it
    assert batch.request_id and [p.request_id for p in batch.predictions] == [
        f"{batch.request_id}-{i}" for i in range(2)
    ]
    assert health.request_id and f"request_id={health.request_id!r}" in repr(health)


def test_probabilities_null_from_the_service_is_none_and_kept_as_null():
    body = {
        "prediction": 2.5,
        "probability": None,
        "model_version": "1",
        "request_id": "r",
        "processing_time_ms": 1.0,
        "probabilities": None,
    }
    result = PredictionResponse.from_dict(body)
    assert result.probabilities is None and result.to_dict() == body  # asked, none to give
    del body["probabilities"]
    assert PredictionResponse.from_dict(body).to_dict() == body  # not asked


def test_no_key_anywhere_raises_at_construction_naming_the_variable(monkeypatch):
    monkeypatch.delenv("SPECSERVE_API_KEY", raising=False)
    with pytest.raises(MissingCredentialsError, match="SPECSERVE_API_KEY"):
        SpecserveClient("http://127.0.0.1:9/v1")
    monkeypatch.setenv("SPECSERVE_API_KEY", "")
    with pytest.raises(MissingCredentialsError):
        SpecserveClient("http://127.0.0.1:9/v1")


def test_specserve_log_logs_requests_retries_and_waits_but_never_the_key(stub, monkeypatch, caplog):
    monkeypatch.setenv("SPECSERVE_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="specserve_client")
    secret = "ssk_stub_supersecret"
    url = stub.url("html-502-once")
    fast = RetryPolicy(max_retries=2, backoff=0.01, max_backoff=0.05)
    with SpecserveClient(url, api_key=secret, retry=fast) as api:
        assert api.predict(ROWS[0]).model_version == "1.0.0"
    lines = [r.getMessage() for r in caplog.records if r.name == "specserve_client"]
    text = "\n".join(lines)
    assert "POST /" in text and "-> 502" in text and "-> 200" in text and "request id" in text
    assert "Retrying POST" in text and "retry 1 of 2" in text and " s: status 502" in text
    assert " ms)" in text and secret not in text and "ssk_" not in text


def test_an_unknown_log_level_is_refused_and_an_unknown_specserve_log_warns(monkeypatch):
    monkeypatch.delenv("SPECSERVE_LOG", raising=False)
    with pytest.raises(ValueError, match="log_level='verbose' is not a log level"):
        SpecserveClient("http://127.0.0.1:9/v1", api_key="ssk_stub_key", log_level="verbose")
    SpecserveClient("http://127.0.0.1:9/v1", api_key="ssk_stub_key", log_level="off")
    monkeypatch.setenv("SPECSERVE_LOG", "verbose")
    with pytest.warns(UserWarning, match="SPECSERVE_LOG='verbose' is not a log level"):
        SpecserveClient("http://127.0.0.1:9/v1", api_key="ssk_stub_key")


def test_a_429_that_can_never_fit_is_raised_at_once(stub):
    url = stub.url("429-cost")
    api = SpecserveClient(url, api_key="ssk_stub_key", retry=RetryPolicy(max_retries=3))
    with api, pytest.raises(RateLimitError) as caught:
        api.batch_predict(ROWS)
    assert caught.value.code == "cost_exceeds_limit" and stub.count(url) == 1


def readme_blocks() -> list[str]:
    """Every Python block of the SDK README (each runs on its own; none continues another)."""
    readme = ROOT / "generated" / "python-client" / "README.md"
    return re.findall(r"```python\n(.*?)```", readme.read_text(), flags=re.S)


def test_every_python_block_of_the_sdk_readme_runs_as_written_and_is_mypy_strict(
    token_service, api_key, tmp_path
):
    blocks = readme_blocks()
    assert len(blocks) >= 3
    env = {
        **os.environ,
        "SPECSERVE_BASE_URL": token_service.base_url,
        "SPECSERVE_API_KEY": api_key,
    }
    for i, block in enumerate(blocks):
        source = tmp_path / f"readme_{i}.py"
        source.write_text(block)
        out = subprocess.run(
            [sys.executable, str(source)], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, f"block {i}:\n{block}\n{out.stderr[-2000:]}"
        checked = mypy(str(source))
        assert checked.returncode == 0, f"block {i}:\n{checked.stdout}"
