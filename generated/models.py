# generated from openapi/openapi.yaml by `make generate` — do not edit

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel


class TokenRequest(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    grant_type: Annotated[
        str,
        Field(
            description="Must be `client_credentials`.",
            examples=["client_credentials"],
            max_length=64,
        ),
    ]
    scope: Annotated[
        str | None,
        Field(
            description="Space-separated scopes, a subset of the key's; default all of them.",
            examples=["predict models:read"],
            max_length=256,
        ),
    ] = None


class TokenResponse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    access_token: Annotated[
        str, Field(description="A JWT, sent as `Authorization: Bearer <token>`.")
    ]
    token_type: Literal["Bearer"]
    expires_in: Annotated[int, Field(description="Lifetime in seconds.", ge=1)]
    scope: Annotated[str, Field(description="The scopes granted, space-separated.")]


class PositionalFeatures(RootModel[list[float]]):
    root: Annotated[
        list[float],
        Field(
            description="Input features for prediction, finite numbers, in the model's feature order.",
            max_length=1000,
            min_length=1,
        ),
    ]


class FeatureValue1(RootModel[str | None]):
    root: Annotated[
        str | None,
        Field(
            description="A number, a string (at most 10,000 characters), a boolean, or null (missing).",
            max_length=10000,
        ),
    ] = None


class FeatureValue(RootModel[float | FeatureValue1 | bool | None]):
    root: Annotated[
        float | FeatureValue1 | bool | None,
        Field(
            description="A number, a string (at most 10,000 characters), a boolean, or null (missing)."
        ),
    ]


class PredictionMetadata(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    request_id: Annotated[
        str | None,
        Field(
            description="The client's id for this prediction; echoed as `request_id`.",
            max_length=128,
            min_length=1,
        ),
    ] = None
    timestamp: Annotated[
        AwareDatetime | None, Field(description="When the client made the request.")
    ] = None


class Probability(RootModel[float]):
    root: Annotated[float, Field(ge=0.0, le=1.0)]


class PredictionResponse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    prediction: Annotated[
        float,
        Field(
            description="Classifiers with numeric labels: the predicted label. Classifiers with string\nlabels: the predicted class's index in the model's `classes` (its name is in\n`label`). Regressors: the predicted value. Clusterers: the cluster id, an\ninteger. Outlier detectors: 1 (inlier) or -1 (outlier), the model's own `predict`.\n"
        ),
    ]
    probability: Annotated[
        float | None,
        Field(
            description="Probability of the predicted class; null when the model gives none (regressors,\nclusterers, outlier detectors, classifiers without `predict_proba`: a decision\nscore is never a probability).\n",
            ge=0.0,
            le=1.0,
        ),
    ]
    label: Annotated[
        str | None,
        Field(description="Only for classifiers with string labels, the predicted class's name."),
    ] = None
    probabilities: Annotated[
        list[Probability] | None,
        Field(
            description="Only with `?probabilities=true`: the probability of each class, in `classes`\norder; null when the model gives none.\n"
        ),
    ] = None
    score: Annotated[
        float | None,
        Field(
            description="Only with `?scores=true`: an outlier detector's `decision_function` for this row\n(negative for outliers); null for other models.\n"
        ),
    ] = None
    model_version: Annotated[str, Field(description="Version of the model used.")]
    request_id: Annotated[
        str, Field(description="`metadata.request_id` if given, else the request's `X-Request-ID`.")
    ]
    processing_time_ms: Annotated[
        float, Field(description="Time spent scoring, in milliseconds.", ge=0.0)
    ]


class BatchPredictionResponse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    predictions: list[PredictionResponse]
    total_processing_time_ms: Annotated[
        float, Field(description="Time spent scoring the whole batch, in milliseconds.", ge=0.0)
    ]


class ModelStatus(RootModel[Literal["ready", "failed"]]):
    root: Annotated[
        Literal["ready", "failed"],
        Field(description="`ready`: the model serves; `failed`: its artifact could not be loaded."),
    ]


class AbsDiffItem(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    le: Annotated[float | None, Field(...)]
    count: Annotated[int, Field(ge=0)]


class ShadowAgreement(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    scored: Annotated[int, Field(description="Rows the shadow scored.", ge=0)]
    agreed: Annotated[
        int,
        Field(
            description="Rows where its prediction (a classifier's label) equals the answered one (a\nregressor's: within 1e-6).\n",
            ge=0,
        ),
    ]
    disagreed: Annotated[int, Field(ge=0)]
    errors: Annotated[
        int,
        Field(
            description="Shadow calls that failed or timed out (never seen by the client).", ge=0
        ),
    ]
    skipped: Annotated[
        int,
        Field(
            description="Requests not shadowed because a worker had too many shadow calls running.",
            ge=0,
        ),
    ]
    agreement_rate: Annotated[
        float | None,
        Field(description="agreed / scored (null before any row is scored).", ge=0.0, le=1.0),
    ]
    abs_diff: Annotated[
        list[AbsDiffItem] | None,
        Field(
            description="Regressors only (null otherwise): |answered - shadow| per row as a cumulative\nhistogram, each bucket counting the rows with a difference of at most `le`\n(`le` null: every row).\n"
        ),
    ]
    scope: Annotated[
        Literal["service", "instance"],
        Field(
            description="`service`: every instance's counts for the shadow as set (Redis); `instance`:\nthis instance's workers since they started (no Redis, or Redis not answering).\n"
        ),
    ]


class CanarySplit(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: str
    weight: Annotated[float, Field(ge=0.0, le=100.0)]


class OpenApiDocument(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]


class ModelInput(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: str
    type: Literal["number", "integer", "boolean", "string"]
    nullable: Annotated[bool, Field(description="Whether null (a missing value) is accepted.")]
    categories: Annotated[
        list[float | str | bool] | None,
        Field(
            description="The values the model knows. Enforced (`unknown_category`) unless `open` is true\n(the model accepts others too).\n"
        ),
    ] = None
    open: Annotated[
        bool | None, Field(description="Whether values outside `categories` are accepted.")
    ] = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: Annotated[int | None, Field(ge=0)] = None
    description: str | None = None


class ClassLabel(RootModel[float | str]):
    root: Annotated[float | str, Field(description="A class as the model names it.")]


class Parity(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    passed: bool
    probe_rows: Annotated[int, Field(ge=0)]
    label_mismatches: Annotated[int, Field(ge=0)]
    max_abs_diff: Annotated[
        float | None,
        Field(
            description="Largest absolute difference of a probability (or value) from scikit-learn's."
        ),
    ]
    strategy: Annotated[
        str | None,
        Field(
            description="The conversion that passed: `float32`, `double`, or `float64-scaler` (preprocessing\nkept in float64) for a model of numbers; `columns` (one graph input per named\ninput), `text-unicode` or `text` for a model with string inputs.\n"
        ),
    ]
    reason: Annotated[
        str | None,
        Field(description="Why no conversion passed (the model then serves with scikit-learn)."),
    ]
    converter: Annotated[
        str,
        Field(
            description="Converter and runtime versions, e.g. `skl2onnx 1.20.0, onnxruntime 1.31.1`."
        ),
    ]


class HealthCheckResult(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    status: Literal["pass", "warn", "fail"]
    detail: Annotated[str | None, Field(description="Only for callers with `metrics:read`.")] = None


class Health(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    status: Literal["healthy", "degraded", "unhealthy"]
    uptime_seconds: Annotated[float, Field(ge=0.0)]
    model_loaded: Annotated[bool, Field(description="Whether the default model is loaded.")]
    model_version: Annotated[
        str | None, Field(description="Version of the default model, null when it is not loaded.")
    ]
    checks: Annotated[
        dict[str, HealthCheckResult],
        Field(description="One entry per check (`model:<name>`, `threads`, ...)."),
    ]


class UsageCounts(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    requests: Annotated[int, Field(ge=0)]
    units: Annotated[int, Field(ge=0)]
    ok: Annotated[int, Field(ge=0)]
    client_error: Annotated[int, Field(ge=0)]
    server_error: Annotated[int, Field(ge=0)]


class UsageDay(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    day: date
    model: Annotated[str, Field(max_length=64)]
    requests: Annotated[int, Field(description="Requests admitted (charged).", ge=0)]
    units: Annotated[int, Field(description="What they cost, in units (rows).", ge=0)]
    ok: Annotated[int, Field(description="Answers 2xx or 3xx.", ge=0)]
    client_error: Annotated[int, Field(description="Answers 4xx.", ge=0)]
    server_error: Annotated[int, Field(description="Answers 5xx.", ge=0)]


class UsageRow(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    identity: Annotated[
        str, Field(description="`key:<key id>` or `sub:<token subject>`.", max_length=300)
    ]
    day: date
    model: Annotated[str, Field(max_length=64)]
    requests: Annotated[int, Field(description="Requests admitted (charged).", ge=0)]
    units: Annotated[int, Field(description="What they cost, in units (rows).", ge=0)]
    ok: Annotated[int, Field(description="Answers 2xx or 3xx.", ge=0)]
    client_error: Annotated[int, Field(description="Answers 4xx.", ge=0)]
    server_error: Annotated[int, Field(description="Answers 5xx.", ge=0)]


class UsageQuota(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    limit: Annotated[int, Field(ge=1)]
    period: Literal["day", "month"]
    used: Annotated[int, Field(ge=0)]
    remaining: Annotated[int, Field(ge=0)]
    resets_at: Annotated[AwareDatetime, Field(description="When the period ends (midnight UTC).")]


class Usage(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    identity: Annotated[
        str,
        Field(
            description="`key:<key id>` or `sub:<token subject>`: whose usage this is.",
            max_length=300,
        ),
    ]
    from_: Annotated[date, Field(alias="from")]
    to: date
    quota: UsageQuota | None
    totals: UsageCounts
    days: Annotated[
        list[UsageDay],
        Field(description="One entry per UTC day and model used, oldest first.", max_length=400000),
    ]


class UsageList(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    from_: Annotated[date, Field(alias="from")]
    to: date
    truncated: Annotated[bool, Field(description="More rows matched than `limit`.")]
    rows: Annotated[list[UsageRow], Field(max_length=10000)]


class FieldError(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    path: Annotated[
        str,
        Field(description="JSON path of the offending field, e.g. `$.requests[3].features[0]`."),
    ]
    message: str


class Error(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Annotated[str, Field(description="A URI reference identifying the problem type.")]
    title: Annotated[str, Field(description="Short summary of the status.")]
    status: Annotated[int, Field(ge=400, le=599)]
    detail: Annotated[str, Field(description="Explanation specific to this occurrence.")]
    error: Annotated[
        str, Field(description="Stable machine-readable error code.", examples=["validation_error"])
    ]
    message: Annotated[str, Field(description="Human-readable message (same as `detail`).")]
    request_id: str
    timestamp: AwareDatetime
    error_description: Annotated[
        str | None,
        Field(description="For OAuth2 token errors (RFC 6749 section 5.2), same as `detail`."),
    ] = None
    retry_after: Annotated[
        int | None,
        Field(description="For 429, seconds to wait before retrying (as `Retry-After`).", ge=0),
    ] = None
    errors: Annotated[
        list[FieldError] | None,
        Field(description="For validation failures, one entry per offending field."),
    ] = None


class NamedFeatures(RootModel[dict[str, FeatureValue]]):
    root: Annotated[dict[str, FeatureValue], Field(max_length=1000)]


class ModelSummary(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: str
    version: Annotated[
        str,
        Field(
            description="The version the unversioned routes serve (the pinned one, else the newest)."
        ),
    ]
    versions: Annotated[list[str], Field(description="Every version found on disk, oldest first.")]
    status: ModelStatus
    default: Annotated[
        bool, Field(description="Whether `/predict` and `/batch_predict` use this model.")
    ]


class ModelList(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    default_model: Annotated[
        str | None,
        Field(
            description="The model behind `/predict` and `/batch_predict`; null for a credential limited to\nother models (it learns nothing about models beyond its list).\n"
        ),
    ]
    models: list[ModelSummary]


class ShadowVersion(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: str
    sample: Annotated[
        float, Field(description="The share of requests it scores too.", ge=0.0, le=1.0)
    ]
    agreement: ShadowAgreement


class PredictionRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    features: Annotated[
        PositionalFeatures | NamedFeatures,
        Field(
            description='The row to score, in either form: a list of finite numbers in the model\'s input\norder (`[52000, 9000, 41]`), or an object keyed by input name\n(`{"income": 52000, "city": "lyon", "age": null}`), which a model with string\ninputs requires. `GET /models/{model_name}` lists a model\'s `inputs` (names,\ntypes, categories, which may be null) and their JSON Schema (`input_schema`).\n'
        ),
    ]
    metadata: PredictionMetadata | None = None


class BatchPredictionRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    requests: Annotated[list[PredictionRequest], Field(max_length=100, min_length=1)]


class ModelRollout(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    shadow: ShadowVersion | None
    canary: CanarySplit | None
    problems: Annotated[
        list[str],
        Field(
            description="Why a `shadow` or `canary` file is ignored (not JSON, an unknown version, the\nserving version itself) or its version not used (it failed to load).\n"
        ),
    ]


class ModelMetadata(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: str
    version: str
    status: ModelStatus
    description: str
    framework: Annotated[
        str,
        Field(
            description="What made the artifact: `scikit-learn`, or `onnx` for an ONNX artifact from any\nexporter (XGBoost, LightGBM, a hand-built graph).\n"
        ),
    ]
    feature_names: list[str]
    n_features: Annotated[int, Field(ge=0)]
    task: Annotated[
        Literal["classification", "regression", "clustering", "outlier_detection"],
        Field(
            description="What the model does, read from the estimator (scikit-learn's own tags) or the ONNX\ngraph: `classification`, `regression`, `clustering` (`prediction` is the cluster\nid) or `outlier_detection` (`prediction` is 1 or -1, `?scores=true` adds `score`).\n"
        ),
    ]
    classes: Annotated[
        list[ClassLabel],
        Field(description="The classes, in the order of `probabilities` (empty for regressors)."),
    ]
    metrics: Annotated[
        dict[str, float],
        Field(description="Held-out evaluation metrics recorded at training time."),
    ]
    runtime: Annotated[
        Literal["onnx", "sklearn"],
        Field(
            description="What scores this version: ONNX Runtime (a `model.onnx` that passed the parity\ngate, or an ONNX artifact) or scikit-learn.\n"
        ),
    ]
    parity: Parity | None
    pinned: Annotated[
        str | None,
        Field(
            description="The version pinned with `specserve models pin`, or null (the newest serves)."
        ),
    ]
    inputs: Annotated[
        list[ModelInput] | None,
        Field(
            description="The model's signature: each input it takes, in order (the order of the positional\nform), with its type, whether it may be null, its categories and bounds.\n"
        ),
    ] = None
    input_schema: Annotated[
        dict[str, Any] | None,
        Field(
            description="The JSON Schema of this model's named `features` object (what\n`GET /models/{model_name}/openapi.json` publishes as the request).\n",
            examples=[
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["transaction_amount"],
                    "properties": {"transaction_amount": {"type": "number"}},
                }
            ],
        ),
    ] = None
    error: Annotated[
        str | None,
        Field(
            description="Only when a version failed to load: why, in full (this version's reason when\n`status` is `failed`; when an older version serves because a newer one failed, the\nnewer one's; when a version's converted graph does not load on this machine, why\nscikit-learn serves it instead). `/health` shows only a short class of it (`artifact unreadable`,\n`artifact refused`, `version mismatch`, `conversion refused`, `graph refused`,\n`model refused`, `metadata invalid`).\n"
        ),
    ] = None
    rollout: ModelRollout | None = None
