"""`specserve models sdk`: how a model's inputs become Python and TypeScript types."""

from __future__ import annotations

from specserve.cli.model_sdk import _class_name, _identifier, _input


def test_categories_become_literals_and_missing_values_none_or_null():
    city = _input("city", {"type": "string", "enum": ["lyon", "paris"]}, True)
    assert city["py_type"] == 'Literal["lyon", "paris"]'
    assert city["ts_type"] == '"lyon" | "paris"'
    age = _input("age", {"type": "integer", "nullable": True}, False)
    assert (age["py_type"], age["ts_type"]) == ("int | None", "number | null")


def test_a_float_category_is_typed_as_a_number_in_python():
    rate = _input("rate", {"type": "number", "enum": [0.5, 1.5]}, True)
    assert rate["py_type"] == "float" and rate["ts_type"] == "0.5 | 1.5"


def test_names_become_identifiers_and_class_names():
    assert _identifier("petal length (cm)") == "petal_length_cm"
    assert _identifier("class") == "class_" and _identifier("scores") == "scores_"
    assert _identifier("2nd") == "f_2nd"
    assert _class_name("fraud-detector") == "FraudDetector" and _class_name("3d.v2") == "Model3dV2"
