"""The operations app hands each handler its inputs as Connexion would: path parameters,
query parameters cast with the spec's defaults, the request context, the token form."""

from __future__ import annotations

import functools

import pytest

from specserve import spec
from specserve.http.operations import plan
from specserve.startup import ContractError

ROW = {"features": [1500.5, 2.0, 0.75]}


def test_query_parameters_are_cast_and_default_from_the_spec(client):
    plain = client.post("/predict", json=ROW).json()
    assert "probabilities" not in plain  # spec default: probabilities=false
    on = client.post("/predict?probabilities=true", json=ROW).json()
    assert len(on["probabilities"]) == 2 and abs(sum(on["probabilities"]) - 1) < 1e-6
    off = client.post("/predict?probabilities=false", json=ROW).json()
    assert "probabilities" not in off  # the string "false" is False, not a truthy string
    # a repeated scalar: the last value wins, as Connexion's URI parser says
    repeated = client.post("/predict?probabilities=false&probabilities=true", json=ROW)
    assert "probabilities" in repeated.json()


def test_a_query_value_of_the_wrong_type_is_a_400_before_the_handler(client):
    r = client.post("/predict?probabilities=maybe", json=ROW)
    assert r.status_code == 400 and r.json()["error"] == "validation_error"


def test_path_parameters_reach_the_handler(client):
    r = client.get("/models/fraud-detector")
    assert r.status_code == 200 and r.json()["name"] == "fraud-detector"
    r = client.post("/models/fraud-detector/versions/1.0.0/predict", json=ROW)
    assert r.status_code == 200 and r.json()["model_version"] == "1.0.0"


def test_the_request_id_and_payload_come_from_the_request_context(client):
    r = client.post("/predict", json=ROW, headers={"X-Request-ID": "ops-test-1"})
    assert r.json()["request_id"] == "ops-test-1"
    assert r.headers["X-Request-ID"] == "ops-test-1"


def test_the_token_form_reaches_its_handler(client):
    form = {"grant_type": "client_credentials", "scope": "predict"}
    r = client.post("/auth/token", data=form)
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "predict"  # the form's scope, not the key's wider one


def test_a_handler_that_cannot_take_a_path_parameter_stops_start_up():
    op = spec.load().operations["handlers.models.get_model"]

    async def no_model_name(request_id: str) -> None: ...

    with pytest.raises(ContractError, match="model_name"):
        plan(op, no_model_name)


def test_a_sync_handler_stops_start_up():
    op = spec.load().operations["handlers.monitoring.health_check"]

    def sync(runtime: object, request_id: str) -> None: ...

    with pytest.raises(ContractError, match="async def"):
        plan(op, functools.partial(sync, runtime=None))


def test_only_the_inputs_a_handler_names_are_passed():
    op = spec.load().operations["handlers.predictions.predict"]

    async def narrow(payload: dict, request_id: str) -> None: ...

    call = plan(op, narrow)
    assert call.query == frozenset() and call.defaults == () and not call.body
    assert call.context == ("payload", "request_id")


def test_a_handler_requiring_an_input_nobody_passes_stops_start_up():
    op = spec.load().operations["handlers.predictions.predict"]

    async def wants_a_header(payload: dict, x_tenant: str) -> None: ...

    with pytest.raises(ContractError, match="x_tenant"):
        plan(op, wants_a_header)
