"""Train the default model, `fraud-detector` 1.0.0, deterministically, in a few seconds.

Synthetic card transactions with the three features of the API's example
(`[transaction_amount, transaction_count, risk_score]`, e.g. `[1500.50, 2, 0.75]`), a
scikit-learn pipeline (scaler + histogram gradient boosting), published as
`specserve models add` does: saved with skops (no pickle), converted to ONNX and gated
(`model.onnx`, `parity.json`), beside a `metadata.json` holding the features, classes and
held-out metrics.

    python scripts/train_default_model.py --model-dir models [--version 1.0.0] [--force]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np

FEATURES = ["transaction_amount", "transaction_count", "risk_score"]
SEED = 20260101


def make_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    amount = rng.lognormal(mean=5.0, sigma=1.2, size=n)
    count = rng.poisson(lam=2.0, size=n).astype(float)
    risk = rng.beta(2.0, 5.0, size=n)
    logit = -4.0 + 1.1 * np.log1p(amount / 500) + 0.35 * count + 5.0 * risk
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return np.column_stack([amount, count, risk]), y


def train(model_dir: Path, version: str, seed: int = SEED) -> Path:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from specserve.serving.publish import add_estimator

    x, y = make_data(20_000, seed)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=seed)
    model = Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "clf",
                HistGradientBoostingClassifier(max_iter=60, max_leaf_nodes=15, random_state=seed),
            ),
        ]
    ).fit(x_train, y_train)
    proba = model.predict_proba(x_test)
    pred = model.classes_[proba.argmax(axis=1)]
    metadata = {
        "description": "Gradient-boosted fraud classifier trained on synthetic card "
        "transactions (label 1 = fraud).",
        "metrics": {
            "accuracy": round(float(accuracy_score(y_test, pred)), 4),
            "roc_auc": round(float(roc_auc_score(y_test, proba[:, 1])), 4),
            "f1": round(float(f1_score(y_test, pred)), 4),
            "n_test": float(len(y_test)),
        },
        "training": {"seed": seed, "n_train": len(y_train)},
    }
    out, _ = add_estimator(
        model_dir, "fraud-detector", version, model, metadata=metadata, feature_names=FEATURES
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=Path("models"))
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="retrain even if present")
    args = parser.parse_args(argv)
    target = args.model_dir / "fraud-detector" / args.version / "metadata.json"
    if target.exists() and not args.force:
        print(f"default model present: {target.parent}")
        return 0
    if target.exists():  # --force
        shutil.rmtree(target.parent)
    out = train(args.model_dir, args.version, args.seed)
    print(f"trained default model: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
