# generated from openapi/openapi.yaml by `make generate` — do not edit
"""Contains all the data models used in inputs/outputs"""

from .batch_prediction_request import BatchPredictionRequest
from .batch_prediction_response import BatchPredictionResponse
from .canary_split_type_0 import CanarySplitType0
from .error import Error
from .field_error import FieldError
from .health import Health
from .health_check_result import HealthCheckResult
from .health_check_result_status import HealthCheckResultStatus
from .health_checks import HealthChecks
from .health_status import HealthStatus
from .model_input import ModelInput
from .model_input_type import ModelInputType
from .model_list import ModelList
from .model_metadata import ModelMetadata
from .model_metadata_input_schema import ModelMetadataInputSchema
from .model_metadata_metrics import ModelMetadataMetrics
from .model_metadata_runtime import ModelMetadataRuntime
from .model_metadata_task import ModelMetadataTask
from .model_rollout import ModelRollout
from .model_status import ModelStatus
from .model_summary import ModelSummary
from .named_features import NamedFeatures
from .open_api_document import OpenApiDocument
from .open_api_document_info import OpenApiDocumentInfo
from .open_api_document_paths import OpenApiDocumentPaths
from .parity_type_0 import ParityType0
from .prediction_metadata import PredictionMetadata
from .prediction_request import PredictionRequest
from .prediction_response import PredictionResponse
from .shadow_agreement import ShadowAgreement
from .shadow_agreement_abs_diff_type_0_item import ShadowAgreementAbsDiffType0Item
from .shadow_agreement_scope import ShadowAgreementScope
from .shadow_version_type_0 import ShadowVersionType0
from .token_request import TokenRequest
from .token_response import TokenResponse
from .token_response_token_type import TokenResponseTokenType
from .usage import Usage
from .usage_counts import UsageCounts
from .usage_day import UsageDay
from .usage_list import UsageList
from .usage_quota_type_0 import UsageQuotaType0
from .usage_quota_type_0_period import UsageQuotaType0Period
from .usage_row import UsageRow

__all__ = (
    "BatchPredictionRequest",
    "BatchPredictionResponse",
    "CanarySplitType0",
    "Error",
    "FieldError",
    "Health",
    "HealthCheckResult",
    "HealthCheckResultStatus",
    "HealthChecks",
    "HealthStatus",
    "ModelInput",
    "ModelInputType",
    "ModelList",
    "ModelMetadata",
    "ModelMetadataInputSchema",
    "ModelMetadataMetrics",
    "ModelMetadataRuntime",
    "ModelMetadataTask",
    "ModelRollout",
    "ModelStatus",
    "ModelSummary",
    "NamedFeatures",
    "OpenApiDocument",
    "OpenApiDocumentInfo",
    "OpenApiDocumentPaths",
    "ParityType0",
    "PredictionMetadata",
    "PredictionRequest",
    "PredictionResponse",
    "ShadowAgreement",
    "ShadowAgreementAbsDiffType0Item",
    "ShadowAgreementScope",
    "ShadowVersionType0",
    "TokenRequest",
    "TokenResponse",
    "TokenResponseTokenType",
    "Usage",
    "UsageCounts",
    "UsageDay",
    "UsageList",
    "UsageQuotaType0",
    "UsageQuotaType0Period",
    "UsageRow",
)
