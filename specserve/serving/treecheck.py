"""Checking the node arrays of every tree in a loaded estimator, before it serves.

scikit-learn walks a tree's nodes in compiled code without bounds checks: a node whose child
index points outside the node array, whose feature index is beyond the row's width, or
whose categorical bitset index is beyond the bitsets, reads memory it does not own, and a
crafted artifact can then kill the worker with SIGSEGV on a chosen row. A cycle of children
makes the walk endless. skops 0.16 leaves these types out of its trusted defaults for that
reason. So every `sklearn.tree._tree.Tree` and every HistGradientBoosting `TreePredictor`
found in the estimator is checked with the rules scikit-learn's own pending fix proposes
(scikit-learn PR #34558):

- each internal node's children have larger ids than the node and lie inside the array
  (so the walk only goes forward and ends), and no node has two parents;
- the split feature is inside the row the model is given; a categorical split's bitset
  index is inside its bitsets, on a feature the model's binner knows as categorical;
- `max_depth` covers the depth the nodes actually reach;
- split thresholds may be ±inf (scikit-learn writes them for splits on data with missing
  values) but never NaN.

The Tree's arrays are public. HistGradientBoosting's predictors are reachable only through
its private `_predictors` (and `_bin_mapper`): used here for this check alone, and pinned by
a canary test (tests/serving/test_crafted_artifacts.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from specserve.serving.artifacts import ModelRefused

TREE_LEAF = -1
BITSET_WORDS = 8  # a categorical bitset: 256 bits in uint32 words


def check_trees(estimator: Any) -> int:
    """Refuse the estimator if any of its trees is malformed; how many trees were checked."""
    return _walk(estimator, None, set())


def _walk(obj: Any, width: int | None, seen: set[int]) -> int:
    """Every tree under `obj`, checked. `width` is the row width an ensemble hands its
    members unchecked (forests and gradient boosting call their trees with
    `check_input=False`), so a member's own `n_features_in_` cannot widen it."""
    if id(obj) in seen or isinstance(obj, str | bytes | int | float | bool | type | None):
        return 0
    seen.add(id(obj))
    from sklearn.ensemble import BaseEnsemble
    from sklearn.ensemble._hist_gradient_boosting.gradient_boosting import (
        BaseHistGradientBoosting,
    )
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
    from sklearn.tree._tree import Tree

    if isinstance(obj, TreePredictor):
        raise ModelRefused("a tree predictor outside a HistGradientBoosting model")
    if isinstance(obj, Tree):
        _check_tree(obj, width)
        return 1
    own = _min(width, getattr(obj, "n_features_in_", None))
    if isinstance(obj, BaseHistGradientBoosting):
        return _check_hist_gradient_boosting(obj, own)
    inner = own if isinstance(obj, BaseEnsemble) else None
    return sum(
        _walk(child, own if name == "tree_" else inner, seen) for name, child in _children(obj)
    )


def _children(obj: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict):
        yield from ((str(k), v) for k, v in obj.items())
    elif isinstance(obj, list | tuple | set | frozenset):
        yield from (("", v) for v in obj)
    elif isinstance(obj, np.ndarray):
        if obj.dtype == object:
            yield from (("", v) for v in obj.flat)
    elif hasattr(obj, "__dict__"):
        yield from vars(obj).items()


def _min(a: int | None, b: Any) -> int | None:
    if b is None:
        return a
    return int(b) if a is None else min(a, int(b))


def _check_tree(tree: Any, width: int | None) -> None:
    """One `sklearn.tree._tree.Tree` (a decision tree's `tree_`)."""
    n = int(tree.node_count)
    if not 0 < n <= int(tree.capacity):  # the public arrays are node_count long views
        raise ModelRefused(f"a tree claims {n} nodes in an array of {tree.capacity}")
    left, right = tree.children_left, tree.children_right
    leaf = left == TREE_LEAF
    if np.any(leaf != (right == TREE_LEAF)):
        raise ModelRefused("a tree node has one child")
    inner = np.flatnonzero(~leaf)
    _check_children(inner, left[inner], right[inner], n)
    _check_features(tree.feature[inner], _min(width, tree.n_features))
    if np.isnan(tree.threshold[inner]).any():
        raise ModelRefused("a tree split has a NaN threshold")
    if _depth(left, right, leaf) > int(tree.max_depth):
        raise ModelRefused(f"a tree is deeper than its max_depth {tree.max_depth}")


def _check_hist_gradient_boosting(model: Any, width: int | None) -> int:
    """Every predictor of a HistGradientBoosting model (private attributes: see module)."""
    categorical = _categorical_features(model)
    predictors = [p for ps in getattr(model, "_predictors", None) or [] for p in ps]
    for predictor in predictors:
        _check_predictor(predictor, width, categorical)
    return len(predictors)


def _categorical_features(model: Any) -> np.ndarray:
    mask = getattr(getattr(model, "_bin_mapper", None), "is_categorical_", None)
    return np.zeros(0, bool) if mask is None else np.asarray(mask, bool)


def _check_predictor(predictor: Any, width: int | None, categorical: np.ndarray) -> None:
    """One HistGradientBoosting `TreePredictor`: its `nodes` record array and bitsets."""
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE

    nodes = predictor.nodes
    if not isinstance(nodes, np.ndarray) or nodes.dtype != PREDICTOR_RECORD_DTYPE:
        raise ModelRefused("a tree predictor's nodes are not scikit-learn's node records")
    n = len(nodes)
    if n == 0:
        raise ModelRefused("a tree predictor has no nodes")
    inner = np.flatnonzero(nodes["is_leaf"] == 0)
    _check_children(inner, nodes["left"][inner], nodes["right"][inner], n)
    features = nodes["feature_idx"][inner]
    _check_features(features, width)
    split = nodes[inner]
    if np.isnan(split["num_threshold"][split["is_categorical"] == 0]).any():
        raise ModelRefused("a tree split has a NaN threshold")
    _check_categorical(predictor, split[split["is_categorical"] != 0], categorical)


def _check_categorical(predictor: Any, splits: np.ndarray, categorical: np.ndarray) -> None:
    if len(splits) == 0:
        return
    bitsets = [predictor.raw_left_cat_bitsets, predictor.binned_left_cat_bitsets]
    if any(b.ndim != 2 or b.shape[1] != BITSET_WORDS for b in bitsets):
        raise ModelRefused("a tree predictor's categorical bitsets have the wrong shape")
    if splits["bitset_idx"].max() >= min(len(b) for b in bitsets):
        raise ModelRefused("a categorical split points outside its bitsets")
    features = splits["feature_idx"].astype(np.int64)
    if features.max() >= len(categorical) or not categorical[features].all():
        raise ModelRefused("a categorical split on a feature that is not categorical")


def _check_children(parents: np.ndarray, left: np.ndarray, right: np.ndarray, n: int) -> None:
    """Children come after their parent and inside the array; no node has two parents."""
    children = np.concatenate([left, right]).astype(np.int64)
    after = np.concatenate([parents, parents])
    if np.any(children <= after) or np.any(children >= n):
        raise ModelRefused("a tree node points outside its node array (or backwards)")
    if len(np.unique(children)) != len(children):
        raise ModelRefused("a tree node has two parents")


def _check_features(features: np.ndarray, width: int | None) -> None:
    if width is None:
        raise ModelRefused("a tree whose estimator does not say how many features it takes")
    features = features.astype(np.int64)
    if len(features) and (features.min() < 0 or features.max() >= width):
        raise ModelRefused(f"a tree splits on a feature outside the {width} features")


def _depth(left: np.ndarray, right: np.ndarray, leaf: np.ndarray) -> int:
    """The deepest level reached from the root, one vectorised step per level (the
    children checks have run: the walk only goes forward, so it ends)."""
    level, depth = np.array([0]), 0
    while True:
        level = level[~leaf[level]]
        if len(level) == 0:
            return depth
        level = np.concatenate([left[level], right[level]])
        depth += 1
