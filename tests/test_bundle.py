"""`make bundle`: dist/koodrive-space.yaml and .json, one file each, that other teams take as is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from koodrive_space import spec as koodrive_spec
from openapi_spec_validator import validate

from tests.openapi_doc import HTTP_METHODS, SPEC_PATH
from tests.spec_tools import BUNDLE_JSON, BUNDLE_YAML, make, node_tool
from tests.test_spec import EXPECTED_OPERATIONS
from tools import signing_vectors


@pytest.fixture(scope="module")
def bundles() -> tuple[dict[str, Any], dict[str, Any]]:
    make("bundle")
    from_yaml: dict[str, Any] = yaml.safe_load(BUNDLE_YAML.read_text(encoding="utf-8"))
    from_json: dict[str, Any] = json.loads(BUNDLE_JSON.read_text(encoding="utf-8"))
    return from_yaml, from_json


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def pointer_target(document: dict[str, Any], ref: str) -> Any:
    return koodrive_spec.deref({"$ref": ref}, document)[0]  # SpecError when it points at nothing


def test_yaml_and_json_bundles_are_the_same_document(
    bundles: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    from_yaml, from_json = bundles
    assert from_yaml == from_json


def test_every_ref_points_inside_the_bundle(
    bundles: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document = bundles[0]
    found = list(refs(document))
    assert found, "the bundle should share schemas through #/components refs"
    for ref in found:
        assert ref.startswith("#/components/"), ref
        assert pointer_target(document, ref) is not None, ref


def test_bundle_is_valid_openapi_3_0(bundles: tuple[dict[str, Any], dict[str, Any]]) -> None:
    document = bundles[0]
    assert document["openapi"] == "3.0.3"
    validate(document)


def test_bundle_has_the_five_operations(bundles: tuple[dict[str, Any], dict[str, Any]]) -> None:
    found = {
        op["operationId"]: (method, path)
        for path, item in bundles[0]["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }
    assert found == EXPECTED_OPERATIONS


def test_refs_to_other_files_are_pulled_into_components(tmp_path: Path) -> None:
    """Were the spec split into files, the bundle would still be one file: prove it on a copy."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "usage.yaml").write_text(yaml.safe_dump(schemas["SpaceQuotaUsage"]))
    del schemas["SpaceQuotaUsage"]
    schemas["SpaceUsageOverviewResponse"]["properties"]["data"] = {"$ref": "./schemas/usage.yaml"}
    (tmp_path / "split.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))

    result = node_tool("redocly", "bundle", "split.yaml", "--output", "out.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    bundled = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert all(ref.startswith("#/") for ref in refs(bundled))
    schema = bundled["components"]["schemas"]["SpaceUsageOverviewResponse"]
    assert pointer_target(bundled, schema["properties"]["data"]["$ref"]) == yaml.safe_load(
        (tmp_path / "schemas" / "usage.yaml").read_text()
    )


def test_the_bundle_ships_the_signing_vectors_and_the_decisions(
    bundles: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    dist = BUNDLE_JSON.parent
    shipped = json.loads((dist / "koodrive-signing-vectors.json").read_text(encoding="utf-8"))
    assert shipped == signing_vectors.vectors()
    fields = {"name", "description", "app_id", "app_secret", "user_id", "x_date", "request"}
    fields |= {"canonical_request", "string_to_sign", "authorization"}
    assert all(set(vector) == fields for vector in shipped["vectors"])
    assert all(set(v["request"]) == {"method", "url", "body"} for v in shipped["vectors"])
    decisions = (dist / "DISCREPANCIES.md").read_text(encoding="utf-8")
    assert decisions == (SPEC_PATH.parent / "DISCREPANCIES.md").read_text(encoding="utf-8")
