"""Tag `Monitoring`: health and Prometheus metrics."""

from connexion.lifecycle import ConnexionResponse

from specserve import health as service_health
from specserve import metrics
from specserve.context import current_state
from specserve.responses import json_response, request_id_header


async def health_check():
    body, status = service_health.health(current_state()["runtime"])
    return json_response(body, status)


async def get_metrics():
    return ConnexionResponse(
        status_code=200,
        body=metrics.exposition(),
        content_type=metrics.METRICS_CONTENT_TYPE,
        headers=request_id_header(),
    )
