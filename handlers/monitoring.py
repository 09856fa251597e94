"""Tag `Monitoring`: health and Prometheus metrics."""

from connexion.lifecycle import ConnexionResponse

from generated.models import Health
from specserve.http.responses import bytes_response, model_response
from specserve.observability import metrics
from specserve.state import AppState


async def health_check(app_state: AppState, request_id: str) -> ConnexionResponse:
    body, status = await app_state.health()
    return model_response(Health.model_validate(body), request_id, status)


async def get_metrics(request_id: str) -> ConnexionResponse:
    return bytes_response(metrics.exposition(), metrics.METRICS_CONTENT_TYPE, request_id)
