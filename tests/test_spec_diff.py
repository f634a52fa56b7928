"""``make spec-diff`` (tools/spec_diff.py): each rule, on one change made to a copy of the spec."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.openapi_doc import ROOT, SPEC_PATH, spec
from tools.spec_diff import Change, Kind, SpecError, diff, exit_status, next_version, render

JSON = dict[str, Any]
TEAM = "/koodrive/ose/v1/space/teamList"
INFO = "/koodrive/ose/v1/space/{ownerId}"
USAGE = "/koodrive/ose/v1/space/usage/user"
TEAM_OP = f"GET {TEAM} (listTeamSpaces)"
INFO_OP = f"GET {INFO} (getSpaceInfo)"
USAGE_OP = f"POST {USAGE} (querySpaceUsageByUser)"


def changed(mutate: Callable[[JSON], object], base: JSON | None = None) -> list[Change]:
    """The changes from ``base`` (the real spec) to a copy of it that ``mutate`` edited."""
    old = spec() if base is None else base
    new = copy.deepcopy(old)
    mutate(new)
    return diff(old, new)


def lines(changes: list[Change], kind: Kind | None = None) -> list[str]:
    return [str(c) for c in changes if kind is None or c.kind is kind]


def kinds(changes: list[Change]) -> set[Kind]:
    return {c.kind for c in changes}


def op(doc: JSON, path: str, method: str = "get") -> JSON:
    found: JSON = doc["paths"][path][method]
    return found


def param(doc: JSON, path: str, name: str) -> JSON:
    return next(p for p in op(doc, path)["parameters"] if p.get("name") == name)


def schema(doc: JSON, name: str) -> JSON:
    found: JSON = doc["components"]["schemas"][name]
    return found


def props(doc: JSON, name: str) -> JSON:
    found: JSON = schema(doc, name)["properties"]
    return found


def test_identical_specs_have_no_changes() -> None:
    changes = changed(lambda d: None)
    assert changes == []
    assert exit_status(changes) == 0
    assert "no changes" in render(changes, base="HEAD", old_version="1.0.0", new_version="1.0.0")


def test_comparing_does_not_modify_either_spec() -> None:
    before = copy.deepcopy(spec())
    changed(lambda d: schema(d, "SpaceInfo").update(description="Changed."))
    assert spec() == before


def test_descriptions_and_examples_are_documentation_only() -> None:
    def edit(d: JSON) -> None:
        op(d, TEAM)["description"] = "Lists team spaces."
        param(d, TEAM, "limit")["description"] = "Page size."
        props(d, "SpaceInfo")["tenantId"]["description"] = "The tenant."
        media = op(d, INFO)["responses"]["200"]["content"]["application/json"]
        media["examples"]["seedExample"]["value"]["msg"] = "OK"

    changes = changed(edit)
    assert lines(changes) == [
        f"{TEAM_OP}: description changed",
        f"{TEAM_OP}: query parameter 'limit': description changed",
        f"{INFO_OP}: response 200 body: examples changed",
        f"{INFO_OP}: response 200 field 'data.tenantId': description changed",
    ]
    assert kinds(changes) == {Kind.DOCUMENTATION}
    assert exit_status(changes) == 0


# -- operations ------------------------------------------------------------------------------


def test_operation_added_is_non_breaking() -> None:
    changes = changed(lambda d: d["paths"][TEAM].update(post=copy.deepcopy(op(d, TEAM))))
    assert lines(changes) == [f"POST {TEAM} (listTeamSpaces): operation added"]
    assert kinds(changes) == {Kind.NON_BREAKING}


def test_path_removed_is_breaking() -> None:
    changes = changed(lambda d: d["paths"].pop(TEAM))
    assert lines(changes) == [f"{TEAM_OP}: operation removed (its path is gone)"]
    assert exit_status(changes) == 1


def test_method_removed_from_a_remaining_path_is_breaking() -> None:
    base = copy.deepcopy(spec())
    base["paths"][TEAM]["post"] = copy.deepcopy(op(base, TEAM))
    changes = changed(lambda d: d["paths"][TEAM].pop("post"), base)
    assert lines(changes, Kind.BREAKING) == [
        f"POST {TEAM} (listTeamSpaces): operation removed (the path remains)"
    ]


def test_operation_id_renamed_is_breaking_and_names_the_modules() -> None:
    changes = changed(lambda d: op(d, TEAM).update(operationId="listTeams"))
    assert lines(changes, Kind.BREAKING) == [
        f"{TEAM_OP}: operationId listTeamSpaces -> listTeams (module "
        "koodrive_space_client.api.space.list_team_spaces becomes "
        "koodrive_space_client.api.space.list_teams)"
    ]


def test_first_tag_changed_is_breaking_as_the_module_moves() -> None:
    changes = changed(lambda d: op(d, TEAM).update(tags=["teams", "space"]))
    assert lines(changes) == [
        f"{TEAM_OP}: first tag ['space'] -> ['teams'] (module "
        "koodrive_space_client.api.space.list_team_spaces becomes "
        "koodrive_space_client.api.teams.list_team_spaces)"
    ]
    assert kinds(changes) == {Kind.BREAKING}


# -- parameters ------------------------------------------------------------------------------


def test_parameter_removed_is_breaking() -> None:
    def edit(d: JSON) -> None:
        op(d, INFO)["parameters"].remove(param(d, INFO, "containerId"))

    changes = changed(edit)
    assert lines(changes) == [f"{INFO_OP}: query parameter 'containerId': removed"]
    assert exit_status(changes) == 1


def test_parameter_made_required_is_breaking() -> None:
    changes = changed(lambda d: param(d, INFO, "containerId").update(required=True))
    assert lines(changes, Kind.BREAKING) == [
        f"{INFO_OP}: query parameter 'containerId': made required"
    ]


def test_parameter_made_optional_is_non_breaking() -> None:
    changes = changed(lambda d: param(d, TEAM, "offset").update(required=False))
    assert lines(changes, Kind.NON_BREAKING) == [
        f"{TEAM_OP}: query parameter 'offset': made optional"
    ]
    assert exit_status(changes) == 0


@pytest.mark.parametrize(
    ("required", "kind", "text"),
    [(True, Kind.BREAKING, "added, required"), (False, Kind.NON_BREAKING, "added, optional")],
)
def test_new_parameter_breaks_only_when_required(required: bool, kind: Kind, text: str) -> None:
    new_param = {
        "name": "region",
        "in": "query",
        "required": required,
        "schema": {"type": "string"},
    }
    changes = changed(lambda d: op(d, TEAM)["parameters"].append(new_param))
    assert lines(changes) == [f"{TEAM_OP}: query parameter 'region': {text}"]
    assert kinds(changes) == {kind}


def test_header_parameter_names_are_case_insensitive() -> None:
    def edit(d: JSON) -> None:
        d["components"]["parameters"]["XTraceid"]["name"] = "x-traceid"

    assert changed(edit) == []


def test_serialisation_change_is_breaking() -> None:
    changes = changed(lambda d: param(d, TEAM, "limit").update(style="spaceDelimited"))
    assert lines(changes) == [
        f"{TEAM_OP}: query parameter 'limit': style none -> 'spaceDelimited' (sent differently)"
    ]
    assert kinds(changes) == {Kind.BREAKING}


# -- request bodies ----------------------------------------------------------------------------


def test_request_body_made_required_is_breaking() -> None:
    base = copy.deepcopy(spec())
    op(base, USAGE, "post")["requestBody"]["required"] = False
    changes = diff(base, spec())
    assert lines(changes) == [f"{USAGE_OP}: request body: made required"]
    assert exit_status(changes) == 1


def test_request_field_removed_is_breaking() -> None:
    changes = changed(lambda d: props(d, "UsageByUserRequest").pop("limit"))
    assert lines(changes) == [f"{USAGE_OP}: request body field 'limit': removed"]
    assert kinds(changes) == {Kind.BREAKING}


def test_request_field_made_required_is_breaking() -> None:
    changes = changed(lambda d: schema(d, "UsageByUserRequest").update(required=["userIds"]))
    assert lines(changes) == [f"{USAGE_OP}: request body field 'userIds': made required"]
    assert kinds(changes) == {Kind.BREAKING}


def test_request_field_made_optional_is_non_breaking() -> None:
    base = copy.deepcopy(spec())
    schema(base, "UsageByUserRequest")["required"] = ["userIds"]
    changes = diff(base, spec())
    assert lines(changes) == [f"{USAGE_OP}: request body field 'userIds': made optional"]
    assert kinds(changes) == {Kind.NON_BREAKING}


@pytest.mark.parametrize(
    ("required", "kind", "text"),
    [(["tenant"], Kind.BREAKING, "added, required"), ([], Kind.NON_BREAKING, "added, optional")],
)
def test_new_request_field_breaks_only_when_required(
    required: list[str], kind: Kind, text: str
) -> None:
    def edit(d: JSON) -> None:
        target = schema(d, "UsageByUserRequest")
        target["properties"]["tenant"] = {"type": "string", "description": "Tenant."}
        target["required"] = required

    changes = changed(edit)
    assert lines(changes) == [f"{USAGE_OP}: request body field 'tenant': {text}"]
    assert kinds(changes) == {kind}


# -- replies -----------------------------------------------------------------------------------


def test_response_field_removed_is_breaking() -> None:
    changes = changed(lambda d: props(d, "SpaceInfo").pop("tenantId"))
    assert lines(changes) == [f"{INFO_OP}: response 200 field 'data.tenantId': removed"]
    assert kinds(changes) == {Kind.BREAKING}


def test_response_field_made_optional_is_breaking() -> None:
    base = copy.deepcopy(spec())
    schema(base, "SpaceInfoResponse")["required"] = ["code", "msg"]
    changes = diff(base, spec())
    assert lines(changes) == [
        f"{INFO_OP}: response 200 field 'msg': made optional (replies may leave it out)"
    ]
    assert kinds(changes) == {Kind.BREAKING}


def test_response_field_added_is_non_breaking() -> None:
    def edit(d: JSON) -> None:
        props(d, "SpaceInfo")["region"] = {"type": "string", "description": "Region."}

    changes = changed(edit)
    assert lines(changes) == [f"{INFO_OP}: response 200 field 'data.region': added"]
    assert kinds(changes) == {Kind.NON_BREAKING}


def test_response_status_removed_is_breaking_and_added_is_not() -> None:
    removed = changed(lambda d: op(d, INFO)["responses"].pop("401"))
    assert lines(removed) == [f"{INFO_OP}: response 401: removed"]
    assert kinds(removed) == {Kind.BREAKING}
    not_found = {"$ref": "#/components/responses/BadRequest"}
    added = changed(lambda d: op(d, INFO)["responses"].update({"404": not_found}))
    assert lines(added) == [f"{INFO_OP}: response 404: added"]
    assert kinds(added) == {Kind.NON_BREAKING}


def test_response_header_removed_is_breaking() -> None:
    header = {"description": "Calls left.", "schema": {"type": "integer"}}
    base = copy.deepcopy(spec())
    op(base, TEAM)["responses"]["200"]["headers"] = {"X-RateLimit-Remaining": header}
    changes = changed(lambda d: op(d, TEAM)["responses"]["200"].pop("headers"), base)
    assert lines(changes) == [f"{TEAM_OP}: response 200 header 'x-ratelimit-remaining': removed"]
    assert kinds(changes) == {Kind.BREAKING}


# -- types, alternatives, enums ------------------------------------------------------------------


def test_type_changed_on_the_request_side_is_breaking() -> None:
    changes = changed(lambda d: param(d, TEAM, "keyWord")["schema"].update(type="integer"))
    assert lines(changes) == [f"{TEAM_OP}: query parameter 'keyWord': type string -> integer"]
    assert kinds(changes) == {Kind.BREAKING}


def test_type_changed_in_a_component_is_found_through_the_ref() -> None:
    changes = changed(lambda d: props(d, "SpaceInfo")["tenantId"].update(type="integer"))
    assert lines(changes) == [
        f"{INFO_OP}: response 200 field 'data.tenantId': type string -> integer"
    ]
    assert kinds(changes) == {Kind.BREAKING}


def test_ref_pointed_at_another_schema_is_compared_by_content() -> None:
    def edit(d: JSON) -> None:
        props(d, "SpaceInfoResponse")["data"] = {"$ref": "#/components/schemas/TeamSpaceInfo"}

    found = lines(changed(edit), Kind.BREAKING)
    assert f"{INFO_OP}: response 200 field 'data.rootFileId': removed" in found
    assert f"{INFO_OP}: response 200 field 'data.capacityKb': removed" in found
    # SpaceInfo.type accepts a number or a numeric string, TeamSpaceInfo.type only a number.
    removed = "anyOf alternative IntegerOrNumericString removed"
    assert f"{INFO_OP}: response 200 field 'data.type': {removed}" in found


def test_a_ref_wrapped_in_all_of_is_the_same_schema() -> None:
    def edit(d: JSON) -> None:
        props(d, "SpaceInfoResponse")["data"] = {
            "allOf": [{"$ref": "#/components/schemas/SpaceInfo"}]
        }

    assert changed(edit) == []


def test_one_of_alternative_removed_is_breaking_everywhere_it_is_used() -> None:
    changes = changed(lambda d: schema(d, "IntegerOrNumericString")["oneOf"].pop())
    assert f"{TEAM_OP}: response 200 field 'total': oneOf alternative string removed" in lines(
        changes
    )
    assert f"{INFO_OP}: response 200 field 'data.capacity': oneOf alternative string removed" in (
        lines(changes)
    )
    assert kinds(changes) == {Kind.BREAKING}


def test_one_of_alternative_added_widens_a_request_and_breaks_a_reply() -> None:
    def request(d: JSON) -> None:
        param(d, TEAM, "keyWord")["schema"] = {"oneOf": [{"type": "string"}, {"type": "integer"}]}

    widened = changed(request)
    assert lines(widened) == [
        f"{TEAM_OP}: query parameter 'keyWord': oneOf alternative integer added"
    ]
    assert kinds(widened) == {Kind.NON_BREAKING}
    reply = changed(lambda d: schema(d, "ErrorCode")["anyOf"].append({"type": "boolean"}))
    assert (
        f"{INFO_OP}: response 400 field 'code': anyOf alternative boolean added "
        "(the current client cannot parse it)"
    ) in lines(reply)
    assert kinds(reply) == {Kind.BREAKING}


def test_nullable_reply_field_is_breaking() -> None:
    changes = changed(lambda d: props(d, "SpaceInfo")["tenantId"].update(nullable=True))
    assert lines(changes) == [
        f"{INFO_OP}: response 200 field 'data.tenantId': nullable added (null allowed)"
    ]
    assert kinds(changes) == {Kind.BREAKING}


def test_enum_value_removed_from_a_request_is_breaking_and_added_is_not() -> None:
    changes = changed(lambda d: param(d, INFO, "type")["schema"].update(enum=["2"]))
    assert [(c.kind, str(c)) for c in changes] == [
        (Kind.BREAKING, f"{INFO_OP}: query parameter 'type': enum value '1' removed"),
        (Kind.NON_BREAKING, f"{INFO_OP}: query parameter 'type': enum value '2' added"),
    ]


def test_enum_value_added_to_a_reply_is_breaking() -> None:
    # The generated client checks literal enums in from_dict and raises on an unknown value.
    base = copy.deepcopy(spec())
    props(base, "TeamSpaceInfo")["role"]["enum"] = [0, 1]
    changes = changed(lambda d: props(d, "TeamSpaceInfo")["role"]["enum"].append(2), base)
    assert lines(changes) == [
        f"{TEAM_OP}: response 200 field 'teams[].role': enum value 2 added (the current client "
        "refuses values it does not know)",
        f"{TEAM_OP}: response 200 field 'data.role': enum value 2 added (the current client "
        "refuses values it does not know)",
    ]
    assert kinds(changes) == {Kind.BREAKING}


# -- bounds ------------------------------------------------------------------------------------


def limit(d: JSON) -> JSON:
    found: JSON = param(d, TEAM, "limit")["schema"]
    return found


def user_ids(d: JSON) -> JSON:
    found: JSON = props(d, "UsageByUserRequest")["userIds"]
    return found


def keyword(d: JSON) -> JSON:
    found: JSON = param(d, TEAM, "keyWord")["schema"]
    return found


QUERY = f"{TEAM_OP}: query parameter"
USER_IDS = f"{USAGE_OP}: request body field 'userIds'"
TIGHTENED = [
    (limit, {"minimum": 2}, f"{QUERY} 'limit': minimum 1 -> 2 (tightened)"),
    (limit, {"maximum": 50}, f"{QUERY} 'limit': maximum 100 -> 50 (tightened)"),
    (keyword, {"minLength": 2}, f"{QUERY} 'keyWord': minLength 2 added (tightened)"),
    (keyword, {"maxLength": 64}, f"{QUERY} 'keyWord': maxLength 64 added (tightened)"),
    (user_ids, {"minItems": 2}, f"{USER_IDS}: minItems 1 -> 2 (tightened)"),
    (user_ids, {"maxItems": 20}, f"{USER_IDS}: maxItems 50 -> 20 (tightened)"),
    (keyword, {"pattern": "^[a-z]+$"}, f"{QUERY} 'keyWord': pattern '^[a-z]+$' added (tightened)"),
]


@pytest.mark.parametrize(("where", "edit", "line"), TIGHTENED, ids=lambda v: str(v)[:30])
def test_request_bounds_tightened_are_breaking(
    where: Callable[[JSON], JSON], edit: JSON, line: str
) -> None:
    changes = changed(lambda d: where(d).update(edit))
    assert lines(changes) == [line]
    assert kinds(changes) == {Kind.BREAKING}


def test_request_bounds_loosened_are_non_breaking() -> None:
    def edit(d: JSON) -> None:
        limit(d)["maximum"] = 200
        del user_ids(d)["minItems"]

    changes = changed(edit)
    assert lines(changes) == [
        f"{TEAM_OP}: query parameter 'limit': maximum 100 -> 200 (loosened)",
        f"{USAGE_OP}: request body field 'userIds': minItems 1 removed (loosened)",
    ]
    assert kinds(changes) == {Kind.NON_BREAKING}


def test_reply_bounds_loosened_are_warnings() -> None:
    changes = changed(lambda d: schema(d, "IntegerOrNumericString")["oneOf"][1].pop("pattern"))
    assert (
        f"{TEAM_OP}: response 200 field 'total' (oneOf alternative string): "
        "pattern '^-?[0-9]{1,19}$' removed (loosened)"
    ) in lines(changes)
    assert kinds(changes) == {Kind.WARNING}
    assert exit_status(changes) == 0


# -- security, servers, the document --------------------------------------------------------------


def test_security_scheme_removed_is_breaking_for_each_operation() -> None:
    def edit(d: JSON) -> None:
        del d["components"]["securitySchemes"]["tokenAuth"]
        d["security"] = d["security"][:1]

    changes = changed(edit)
    assert "security scheme 'tokenAuth': removed" in lines(changes)
    assert f"{TEAM_OP}: security alternative tokenAuth + userId removed" in lines(changes)
    assert len(changes) == 1 + 5
    assert kinds(changes) == {Kind.BREAKING}


def test_security_scheme_changed_is_breaking() -> None:
    def edit(d: JSON) -> None:
        d["components"]["securitySchemes"]["userId"]["name"] = "X-Koodrive-User"

    changes = changed(edit)
    assert lines(changes) == ["security scheme 'userId': name 'X-User-Id' -> 'X-Koodrive-User'"]
    assert kinds(changes) == {Kind.BREAKING}


def test_security_scheme_description_is_documentation() -> None:
    changes = changed(
        lambda d: d["components"]["securitySchemes"]["appAuth"].update(description="x")
    )
    assert [c.what for c in changes] == [
        "description changed (read it: a scheme's description can carry its rules, as "
        "appAuth's carries the signing rule)"
    ]
    assert kinds(changes) == {Kind.DOCUMENTATION}


def test_security_narrowed_for_one_operation_is_breaking_there() -> None:
    changes = changed(lambda d: op(d, TEAM).update(security=[{"appAuth": [], "userId": []}]))
    assert lines(changes, Kind.BREAKING) == [
        f"{TEAM_OP}: security alternative appAuth + signingDate + userId removed",
        f"{TEAM_OP}: security alternative tokenAuth + userId removed",
    ]


def test_server_removed_is_a_warning_and_added_is_non_breaking() -> None:
    removed = changed(lambda d: d["servers"].pop())
    assert lines(removed) == [
        "servers: server https://cn.myhuaweicloud-koodrive.com: removed (koodrive_space takes "
        "its base URL from the caller; whoever uses this URL must move)"
    ]
    assert kinds(removed) == {Kind.WARNING}
    assert exit_status(removed) == 0
    added = changed(lambda d: d["servers"].append({"url": "https://eu.example.invalid"}))
    assert kinds(added) == {Kind.NON_BREAKING}


def test_version_change_is_non_breaking_and_asks_for_no_release() -> None:
    changes = changed(lambda d: d["info"].update(version="1.1.0"))
    assert lines(changes) == ["info: version 1.0.0 -> 1.1.0"]
    assert kinds(changes) == {Kind.NON_BREAKING}
    assert "release:" not in render(changes, base="v1", old_version="1.0.0", new_version="1.1.0")


def test_unclassified_keyword_is_a_warning_naming_it() -> None:
    changes = changed(lambda d: limit(d).update(default=10))
    assert lines(changes) == [
        f"{TEAM_OP}: query parameter 'limit': default added (not classified: review it)"
    ]
    assert kinds(changes) == {Kind.WARNING}


# -- recursion -----------------------------------------------------------------------------------


def tree_spec(node: JSON) -> JSON:
    """A one-operation spec whose reply is the recursive schema ``Node``."""
    reply = {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {
            "/tree": {
                "get": {
                    "operationId": "getTree",
                    "responses": {"200": {"description": "A tree.", "content": reply}},
                }
            }
        },
        "components": {"schemas": {"Node": node}},
    }


NODE = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        "parent": {"allOf": [{"$ref": "#/components/schemas/Node"}]},
    },
}


def test_recursive_schema_is_compared_once() -> None:
    old = tree_spec(NODE)
    changes = changed(lambda d: props(d, "Node")["name"].update(type="integer"), old)
    assert lines(changes) == [
        "GET /tree (getTree): response 200 field 'name': type string -> integer"
    ]


def test_a_ref_loop_is_a_usage_error() -> None:
    looped = tree_spec({"$ref": "#/components/schemas/Node"})
    with pytest.raises(SpecError, match="loop"):
        diff(looped, looped)


# -- versions and the report ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"), [("major", "2.0.0"), ("minor", "1.3.0"), ("patch", "1.2.4")]
)
def test_next_version(level: str, expected: str) -> None:
    assert next_version("1.2.3", level) == expected


def test_report_groups_by_kind_and_asks_for_the_release() -> None:
    def edit(d: JSON) -> None:
        limit(d)["maximum"] = 50
        d["servers"].pop()
        props(d, "SpaceInfo")["region"] = {"type": "string", "description": "Region."}
        op(d, TEAM)["summary"] = "Team spaces"

    text = render(changed(edit), base="v1.0.0", old_version="1.0.0", new_version="1.0.0")
    headings = [line.split(" (")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert headings == [
        "spec-diff openapi/koodrive-space.yaml: v1.0.0",
        "breaking",
        "warnings",
        "non-breaking",
        "documentation",
        "release: major, 1.0.0 -> 2.0.0: bump info.version and pyproject.toml",
        "exit status 1: something breaks",
    ]


# -- the command, in a repository of its own ----------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose one commit holds a copy of the spec."""
    (tmp_path / "openapi").mkdir()
    shutil.copy(SPEC_PATH, tmp_path / "openapi" / "koodrive-space.yaml")
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "openapi"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base"],
    ):
        subprocess.run(command, cwd=tmp_path, check=True, env=git_env())
    return tmp_path


def git_env() -> dict[str, str]:
    # Nothing of an enclosing repository (GIT_DIR, ...) may leak into the temporary one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**env, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1"}


def spec_diff(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.spec_diff", *args],
        cwd=repo,
        env=git_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def edit_spec(repo: Path, old: str, new: str) -> None:
    path = repo / "openapi" / "koodrive-space.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_cli_unchanged_spec_exits_0(repo: Path) -> None:
    result = spec_diff(repo)  # --base defaults to HEAD
    assert result.returncode == 0, result.stderr
    assert "HEAD (1.0.0) -> working tree (1.0.0)\nno changes" in result.stdout


def test_cli_breaking_change_exits_1_and_names_it(repo: Path) -> None:
    edit_spec(repo, "maximum: 100\n", "maximum: 50\n")
    result = spec_diff(repo, "--base", "HEAD")
    assert result.returncode == 1, result.stderr
    assert (
        f"\n  {TEAM_OP}: query parameter 'limit': maximum 100 -> 50 (tightened)\n" in result.stdout
    )
    assert "release: major, 1.0.0 -> 2.0.0" in result.stdout


def test_cli_documentation_change_exits_0(repo: Path) -> None:
    edit_spec(repo, "description: Search keyword.", "description: A search keyword.")
    result = spec_diff(repo, "--base", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "documentation (1):\n" in result.stdout
    assert "release: patch, 1.0.0 -> 1.0.1" in result.stdout


def test_cli_unknown_ref_exits_2_naming_it(repo: Path) -> None:
    result = spec_diff(repo, "--base", "no-such-ref")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("spec-diff: unknown git ref 'no-such-ref'")


def test_cli_ref_looking_like_an_option_is_refused(repo: Path) -> None:
    result = spec_diff(repo, "--base=--output=/tmp/x")
    assert result.returncode == 2
    assert "unknown git ref '--output=/tmp/x'" in result.stderr


def test_cli_spec_missing_at_the_ref_exits_2(repo: Path) -> None:
    result = spec_diff(repo, "--spec", "openapi/other.yaml")
    assert result.returncode == 2
    assert "spec-diff: openapi/other.yaml does not exist at 'HEAD'" in result.stderr


def test_cli_unreadable_working_spec_exits_2(repo: Path) -> None:
    (repo / "openapi" / "koodrive-space.yaml").write_text("paths: [unclosed\n", encoding="utf-8")
    result = spec_diff(repo)
    assert result.returncode == 2
    assert "openapi/koodrive-space.yaml in the working tree is not readable YAML" in result.stderr


def test_cli_outside_a_repository_exits_2(tmp_path: Path) -> None:
    result = spec_diff(tmp_path)
    assert result.returncode == 2
    assert "spec-diff: not inside a git repository" in result.stderr
