"""Tag `Monitoring`: health and Prometheus metrics."""

from connexion.lifecycle import ConnexionResponse

from generated.models import Health
from specserve import metrics
from specserve.http.responses import bytes_response, model_response
from specserve.runtime import Runtime
from specserve.serving import health as service_health


async def health_check(runtime: Runtime, request_id: str) -> ConnexionResponse:
    store_ok = await runtime.limiter.check() if runtime.limiter.enabled else True
    body, status = service_health.health(runtime, store_ok)
    return model_response(Health.model_validate(body), request_id, status)


async def get_metrics(request_id: str) -> ConnexionResponse:
    return bytes_response(metrics.exposition(), metrics.METRICS_CONTENT_TYPE, request_id)
