"""Tag `Monitoring`: health and Prometheus metrics."""

from connexion.lifecycle import ConnexionResponse

from generated.models import Health
from specserve import metrics
from specserve.http.context import current_state
from specserve.http.responses import model_response, request_id_header
from specserve.serving import health as service_health


async def health_check():
    runtime = current_state()["runtime"]
    store_ok = await runtime.limiter.check() if runtime.limiter.enabled else True
    body, status = service_health.health(runtime, store_ok)
    return model_response(Health.model_validate(body), status)


async def get_metrics():
    return ConnexionResponse(
        status_code=200,
        body=metrics.exposition(),
        content_type=metrics.METRICS_CONTENT_TYPE,
        headers=request_id_header(),
    )
