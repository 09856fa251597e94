"""Tag `Monitoring`: health and Prometheus metrics."""

from connexion.lifecycle import ConnexionResponse

from generated.models import Health
from specserve.http.responses import bytes_response, model_response
from specserve.observability import metrics
from specserve.state import AppState


async def health_check(
    app_state: AppState, request_id: str, authorized: bool = False
) -> ConnexionResponse:
    """Everyone gets the status; a caller with `metrics:read` (`authorized`) the detail."""
    body, status = await app_state.health(detailed=authorized)
    return model_response(Health.model_validate(body), request_id, status)


async def get_metrics(request_id: str) -> ConnexionResponse:
    return bytes_response(metrics.exposition(), metrics.METRICS_CONTENT_TYPE, request_id)
