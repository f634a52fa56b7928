"""``make spec-diff BASE=<git ref>``: what changed in the spec since BASE, by effect on clients.

Compares ``openapi/koodrive-space.yaml`` at BASE (``git show``) with the working tree and prints
the changes grouped as breaking, warnings, non-breaking and documentation. Exit status: 0 when
nothing breaks, 1 when something does, 2 when the call or a spec is unusable.

Why a differ of our own (checked November 2026): oasdiff is Go and on neither PyPI nor npm;
npm's ``openapi-diff`` and ``@useoptic/optic`` both miss a tightened query-parameter bound and
an operationId rename, and the former names whole schemas rather than the field;
``@pb33f/openapi-changes`` downloads a Go binary when installed; PyPI's differs are unmaintained.
This one knows what our generated client depends on (operationIds, first tags, literal enums).

Rules. Schemas are compared after following ``$ref`` and merging ``allOf``, so a change in a
component is reported at every place that uses it. Request side (parameters, request bodies):
accepting fewer values breaks; accepting more does not. Response side: a field removed or made
optional, a changed type and any form of value the current client cannot parse break: a new
``oneOf`` branch, ``nullable``, and a new enum value, because the generated client checks
literal enums in ``from_dict`` and raises ``TypeError`` on a value it does not know. Looser
bounds or patterns on replies are warnings: the generated client does not check them, stricter
clients may. A removed server is a warning: ``koodrive_space`` takes its base URL from the caller
and never reads ``servers``, but whoever uses that URL must move. Descriptions, summaries and
examples are documentation, never breaking. A changed keyword the rules do not cover is a
warning naming the keyword, so nothing passes silently.
"""

from __future__ import annotations

import argparse
import enum
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from koodrive_space import spec
from koodrive_space.spec import SpecError as SpecError

JSON = dict[str, Any]
Side = Literal["request", "response"]
SPEC = "openapi/koodrive-space.yaml"
HTTP_METHODS = spec.HTTP_METHODS
DOC_KEYS = ("summary", "description", "title", "example", "examples", "externalDocs")
LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
FLAG_BOUNDS = ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems")  # true is the tighter
WIDER_FORMATS = {("int32", "int64"), ("float", "double")}
# Formats that give a generated attribute its Python type (datetime, UUID, File): changing one
# changes the model's API whichever way it goes.
TYPED_FORMATS = {"date", "date-time", "uuid", "binary"}
SERIALISATION = ("style", "explode", "allowReserved", "allowEmptyValue")
SCHEME_KEYS = ("type", "in", "name", "scheme", "bearerFormat", "flows", "openIdConnectUrl")

# Keywords each comparison understands; a change in any other is reported as unclassified.
SCHEMA_KEYS = {
    *DOC_KEYS,
    *LOWER_BOUNDS,
    *UPPER_BOUNDS,
    *FLAG_BOUNDS,
    *("type", "format", "nullable", "enum", "pattern", "multipleOf", "deprecated", "$ref"),
    *("properties", "required", "additionalProperties", "items", "oneOf", "anyOf", "allOf"),
}
OPERATION_KEYS = {
    *DOC_KEYS,
    *("operationId", "tags", "deprecated", "parameters", "requestBody", "responses"),
    *("security", "servers"),
}
PARAMETER_KEYS = {*DOC_KEYS, *SERIALISATION, "name", "in", "required", "deprecated", "schema"}
ROOT_KEYS = {"openapi", "info", "servers", "tags", "security", "paths", "components"}
ROOT_DOC_KEYS = ("tags", "externalDocs")
INFO_DOC_KEYS = ("title", "description", "termsOfService", "contact", "license")


class Kind(enum.Enum):
    BREAKING = "breaking"
    WARNING = "warning"
    NON_BREAKING = "non-breaking"
    DOCUMENTATION = "documentation"


HEADINGS = {
    Kind.BREAKING: "breaking (clients built from the base can fail)",
    Kind.WARNING: "warnings (not breaking for koodrive_space; review them)",
    Kind.NON_BREAKING: "non-breaking",
    Kind.DOCUMENTATION: "documentation",
}
RELEASE_LEVELS = {
    Kind.BREAKING: "major",
    Kind.WARNING: "minor",
    Kind.NON_BREAKING: "minor",
    Kind.DOCUMENTATION: "patch",
}


@dataclass(frozen=True)
class Change:
    kind: Kind
    where: str
    what: str
    # False for info.version itself: bumping the version is not a change that needs a release.
    releases: bool = True

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(frozen=True)
class Loc:
    """Where a change is: ``GET /path (operationId)``, then e.g. ``response 200 field 'a.b'``."""

    where: str
    base: str = ""
    fields: tuple[str, ...] = ()
    variant: str = ""
    whole: str = ""  # what the schema itself is called when no field is named, e.g. "body"

    def field(self, name: str) -> Loc:
        return replace(self, fields=(*self.fields, name))

    def items(self) -> Loc:
        last = self.fields[-1] if self.fields else ""
        return replace(self, fields=(*self.fields[:-1], f"{last}[]"))

    def alternative(self, label: str) -> Loc:
        return replace(self, variant=label)

    def __str__(self) -> str:
        text = self.base
        if self.fields:
            text += f" field '{'.'.join(self.fields)}'"
        elif self.whole:
            text += f" {self.whole}"
        if self.variant:
            text += f" ({self.variant})"
        return text.strip()


def narrowed(side: Side) -> Kind:
    """Fewer values than before: the client may send what is now refused."""
    return Kind.BREAKING if side == "request" else Kind.NON_BREAKING


def widened(side: Side, *, parsed: bool) -> Kind:
    """More values than before. On replies this breaks when the generated client's parsing or
    types depend on it (``parsed``), and is a warning otherwise (only stricter clients care)."""
    if side == "request":
        return Kind.NON_BREAKING
    return Kind.BREAKING if parsed else Kind.WARNING


class Document:
    """One version of the spec, with local ``$ref``s followed on demand."""

    def __init__(self, root: JSON, label: str) -> None:
        self.root = root
        self.label = label

    def deref(self, node: Any) -> tuple[Any, tuple[str, ...]]:
        """``node`` with a chain of ``$ref``s followed, and the refs followed."""
        try:
            return spec.deref(node, self.root)
        except SpecError as problem:
            raise SpecError(f"{self.label}: {problem}") from None

    def mapping(self, node: Any, what: str) -> JSON:
        found, _ = self.deref(node)
        if not isinstance(found, dict):
            raise SpecError(f"{self.label}: {what} is not a mapping: {found!r}")
        return found

    def schema(
        self, node: Any, within: frozenset[str] = frozenset()
    ) -> tuple[JSON, frozenset[str]]:
        """``node`` as one schema: refs followed and ``allOf`` merged (later parts and the
        schema's own keywords win, ``properties`` and ``required`` are joined); with the refs
        passed through, which the recursion guard keys on."""
        found, chain = self.deref(node)
        refs = frozenset(chain)
        if not isinstance(found, dict):
            raise SpecError(f"{self.label}: a schema is not a mapping: {found!r}")
        if "allOf" not in found:
            return found, refs
        if refs & within:
            raise SpecError(f"{self.label}: allOf includes itself through {sorted(refs & within)}")
        merged: JSON = {}
        for part in found["allOf"]:
            flat, part_refs = self.schema(part, within | refs)
            _merge_into(merged, flat)
            refs |= part_refs
        _merge_into(merged, {key: value for key, value in found.items() if key != "allOf"})
        return merged, refs


def _merge_into(target: JSON, source: JSON) -> None:
    for key, value in source.items():
        if key == "properties":
            target["properties"] = {**target.get("properties", {}), **value}
        elif key == "required":
            target["required"] = [*target.get("required", []), *value]
        else:
            target[key] = value


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body: JSON
    parameters: dict[tuple[str, str], JSON]
    servers: list[Any] | None  # its own or its path's; None when it inherits the root's

    @property
    def where(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.body.get('operationId', '?')})"


def _operations(doc: Document) -> dict[tuple[str, str], Operation]:
    try:
        found = spec.operations(doc.root)
    except SpecError as problem:
        raise SpecError(f"{doc.label}: {problem}") from None
    return {
        (op.path, op.method.lower()): Operation(
            op.method.lower(),
            op.path,
            op.raw,
            {_parameter_key(param): param for param in op.raw_parameters},
            op.raw.get("servers", op.path_item.get("servers")),
        )
        for op in found
    }


_parameter_key = spec.parameter_key


def _pairs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(key, old value or None, new value or None) for every key of either, old order first."""
    keys = [*old, *(key for key in new if key not in old)]
    return [(key, old.get(key), new.get(key)) for key in keys]


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


def module_name(operation_id: Any, tags: Sequence[Any]) -> str:
    """The module ``make generate`` writes for an operation: its first tag's package, its
    operationId's module, named by the pinned generator's own rule (imported here, as it takes
    most of a second to import)."""
    from openapi_python_client.strings import PythonIdentifier

    tag = PythonIdentifier(str(tags[0]) if tags else "default", prefix="tag")
    return f"koodrive_space_client.api.{tag}.{PythonIdentifier(str(operation_id), 'field_')}"


def _presence(old: Mapping[str, Any], new: Mapping[str, Any], key: str) -> str:
    if key not in old:
        return f"{key} added"
    if key not in new:
        return f"{key} removed"
    return f"{key} changed"


class Differ:
    def __init__(self, old: JSON, new: JSON) -> None:
        self.old = Document(old, "base spec")
        self.new = Document(new, "new spec")
        self.changes: list[Change] = []
        # (old refs, new refs, side) of the schemas being compared further up: a recursive
        # schema is compared once, not forever.
        self._active: set[tuple[frozenset[str], frozenset[str], Side]] = set()

    def run(self) -> list[Change]:
        old, new = self.old.root, self.new.root
        self._root(old, new)
        self._servers("servers", old.get("servers"), new.get("servers"))
        self._security_schemes()
        self._component_schemas()
        self._all_operations()
        return self.changes

    def report(self, loc: Loc, kind: Kind, what: str, *, releases: bool = True) -> None:
        text = str(loc)
        self.changes.append(Change(kind, loc.where, f"{text}: {what}" if text else what, releases))

    def _one_sided(
        self, loc: Loc, old: Any, new: Any, *, removed: Kind = Kind.BREAKING, why: str = ""
    ) -> bool:
        """Report what only one version has; True when so (there is nothing to compare)."""
        if new is None:
            self.report(loc, removed, f"removed{why}")
        elif old is None:
            self.report(loc, Kind.NON_BREAKING, "added")
        return old is None or new is None

    def _docs(self, loc: Loc, old: JSON, new: JSON, keys: Iterable[str] = DOC_KEYS) -> None:
        for key in keys:
            if old.get(key) != new.get(key):
                self.report(loc, Kind.DOCUMENTATION, _presence(old, new, key))

    def _deprecated(self, loc: Loc, old: JSON, new: JSON) -> None:
        was, now = bool(old.get("deprecated")), bool(new.get("deprecated"))
        if was != now:
            self.report(loc, Kind.NON_BREAKING, "deprecated" if now else "no longer deprecated")

    def _unclassified(self, loc: Loc, old: JSON, new: JSON, known: set[str]) -> None:
        for key in sorted((old.keys() | new.keys()) - known):
            if old.get(key) != new.get(key):
                self.report(
                    loc, Kind.WARNING, f"{_presence(old, new, key)} (not classified: review it)"
                )

    # -- the document ------------------------------------------------------------------------

    def _root(self, old: JSON, new: JSON) -> None:
        loc = Loc("info")
        old_info, new_info = old.get("info", {}), new.get("info", {})
        if old_info.get("version") != new_info.get("version"):
            self.report(
                loc,
                Kind.NON_BREAKING,
                f"version {old_info.get('version')} -> {new_info.get('version')}",
                releases=False,
            )
        self._docs(loc, old_info, new_info, INFO_DOC_KEYS)
        if old.get("openapi") != new.get("openapi"):
            self.report(
                Loc("openapi"),
                Kind.WARNING,
                f"{old.get('openapi')} -> {new.get('openapi')} (generators may read it otherwise)",
            )
        self._docs(Loc("document"), old, new, ROOT_DOC_KEYS)
        self._unclassified(Loc("document"), old, new, {*ROOT_KEYS, *ROOT_DOC_KEYS})

    def _servers(self, where: str, old: list[Any] | None, new: list[Any] | None) -> None:
        old_by_url = {str(s.get("url")): s for s in old or []}
        new_by_url = {str(s.get("url")): s for s in new or []}
        why = (
            " (koodrive_space takes its base URL from the caller; whoever uses this URL must move)"
        )
        for url, o, n in _pairs(old_by_url, new_by_url):
            loc = Loc(where, f"server {url}")
            if not self._one_sided(loc, o, n, removed=Kind.WARNING, why=why):
                self._docs(loc, o, n, ("description",))
                self._unclassified(loc, o, n, {"url", "description"})

    def _security_schemes(self) -> None:
        old = self.old.root.get("components", {}).get("securitySchemes", {})
        new = self.new.root.get("components", {}).get("securitySchemes", {})
        for name, old_raw, new_raw in _pairs(old, new):
            loc = Loc(f"security scheme '{name}'")
            if self._one_sided(loc, old_raw, new_raw):
                continue
            o = self.old.mapping(old_raw, f"security scheme {name}")
            n = self.new.mapping(new_raw, f"security scheme {name}")
            for key in SCHEME_KEYS:
                if o.get(key) != n.get(key):
                    self.report(
                        loc, Kind.BREAKING, f"{key} {_show(o.get(key))} -> {_show(n.get(key))}"
                    )
            if o.get("description") != n.get("description"):
                self.report(
                    loc,
                    Kind.DOCUMENTATION,
                    "description changed (read it: a scheme's description can carry its rules, "
                    "as appAuth's carries the signing rule)",
                )
            self._unclassified(loc, o, n, {*SCHEME_KEYS, "description"})

    def _component_schemas(self) -> None:
        # openapi-python-client writes a model class for every component schema, so a removed
        # or renamed one takes an importable class with it even when no operation changes.
        old = self.old.root.get("components", {}).get("schemas", {})
        new = self.new.root.get("components", {}).get("schemas", {})
        for name in old:
            if name not in new:
                self.report(
                    Loc(f"schema '{name}'"),
                    Kind.BREAKING,
                    "removed (its generated model class goes)",
                )
        for name in new:
            if name not in old:
                self.report(Loc(f"schema '{name}'"), Kind.NON_BREAKING, "added")

    # -- operations ------------------------------------------------------------------------

    def _all_operations(self) -> None:
        old, new = _operations(self.old), _operations(self.new)
        new_paths = self.new.root["paths"]
        order = {method: index for index, method in enumerate(HTTP_METHODS)}
        keys = sorted(old.keys() | new.keys(), key=lambda k: (k[0], order[k[1]]))
        for key in keys:
            if key not in new:
                gone = "its path is gone" if key[0] not in new_paths else "the path remains"
                self.report(Loc(old[key].where), Kind.BREAKING, f"operation removed ({gone})")
            elif key not in old:
                self.report(Loc(new[key].where), Kind.NON_BREAKING, "operation added")
            else:
                self._operation(old[key], new[key])

    def _operation(self, old: Operation, new: Operation) -> None:
        loc = Loc(old.where)
        o, n = old.body, new.body
        old_tags, new_tags = o.get("tags") or [], n.get("tags") or []
        old_module = module_name(o.get("operationId"), old_tags)
        new_module = module_name(n.get("operationId"), new_tags)
        if o.get("operationId") != n.get("operationId"):
            self.report(
                loc,
                Kind.BREAKING,
                f"operationId {o.get('operationId')} -> {n.get('operationId')} "
                f"(module {old_module} becomes {new_module})",
            )
        if old_tags[:1] != new_tags[:1]:
            self.report(
                loc,
                Kind.BREAKING,
                f"first tag {_show(old_tags[:1])} -> {_show(new_tags[:1])} "
                f"(module {old_module} becomes {new_module})",
            )
        elif old_tags != new_tags:
            self.report(loc, Kind.DOCUMENTATION, "tags changed")
        self._docs(loc, o, n, ("summary", "description", "externalDocs"))
        self._deprecated(loc, o, n)
        self._parameters(loc, old.parameters, new.parameters)
        self._request_body(loc, o.get("requestBody"), n.get("requestBody"))
        self._responses(loc, o.get("responses", {}), n.get("responses", {}))
        # An operation's own security replaces the document's (OpenAPI 3.0).
        old_security: list[JSON] = o.get("security", self.old.root.get("security")) or []
        new_security: list[JSON] = n.get("security", self.new.root.get("security")) or []
        self._security(loc, old_security, new_security)
        if old.servers is not None or new.servers is not None:
            self._servers(
                loc.where,
                self.old.root.get("servers") if old.servers is None else old.servers,
                self.new.root.get("servers") if new.servers is None else new.servers,
            )
        self._unclassified(loc, o, n, OPERATION_KEYS)

    def _parameters(
        self, loc: Loc, old: dict[tuple[str, str], JSON], new: dict[tuple[str, str], JSON]
    ) -> None:
        for key in [*old, *(k for k in new if k not in old)]:
            o, n = old.get(key), new.get(key)
            shown = n if n is not None else o
            assert shown is not None  # the key came from one of the two
            here = replace(loc, base=f"{shown.get('in')} parameter '{shown.get('name')}'")
            if n is None:
                self.report(here, Kind.BREAKING, "removed")
            elif o is None:
                if n.get("required"):
                    self.report(here, Kind.BREAKING, "added, required")
                else:
                    self.report(here, Kind.NON_BREAKING, "added, optional")
            else:
                self._parameter(here, o, n)

    def _parameter(self, loc: Loc, old: JSON, new: JSON) -> None:
        was, now = bool(old.get("required")), bool(new.get("required"))
        if was != now:
            kind = Kind.BREAKING if now else Kind.NON_BREAKING
            self.report(loc, kind, "made required" if now else "made optional")
        for key in SERIALISATION:
            if old.get(key) != new.get(key):
                self.report(
                    loc,
                    Kind.BREAKING,
                    f"{key} {_show(old.get(key))} -> {_show(new.get(key))} (sent differently)",
                )
        self._docs(loc, old, new, ("description", "example", "examples"))
        self._deprecated(loc, old, new)
        self.schema(old.get("schema", {}), new.get("schema", {}), loc, "request")
        self._unclassified(loc, old, new, PARAMETER_KEYS)

    def _request_body(self, loc: Loc, old_raw: Any, new_raw: Any) -> None:
        here = replace(loc, base="request body")
        if old_raw is None and new_raw is None:
            return
        if old_raw is None:
            new = self.new.mapping(new_raw, "a request body")
            if new.get("required"):
                self.report(here, Kind.BREAKING, "added, required")
            else:
                self.report(here, Kind.NON_BREAKING, "added, optional")
            return
        if new_raw is None:
            self.report(here, Kind.BREAKING, "removed")
            return
        old = self.old.mapping(old_raw, "a request body")
        new = self.new.mapping(new_raw, "a request body")
        was, now = bool(old.get("required")), bool(new.get("required"))
        if was != now:
            kind = Kind.BREAKING if now else Kind.NON_BREAKING
            self.report(here, kind, "made required" if now else "made optional")
        self._docs(here, old, new, ("description",))
        self._content(here, old.get("content", {}), new.get("content", {}), "request")

    def _responses(self, loc: Loc, old: JSON, new: JSON) -> None:
        old_codes = {str(code): value for code, value in old.items()}
        new_codes = {str(code): value for code, value in new.items()}
        for code, old_raw, new_raw in _pairs(old_codes, new_codes):
            here = replace(loc, base=f"response {code}")
            if not self._one_sided(here, old_raw, new_raw):
                o = self.old.mapping(old_raw, f"response {code}")
                n = self.new.mapping(new_raw, f"response {code}")
                self._docs(here, o, n, ("description",))
                self._headers(here, o.get("headers", {}), n.get("headers", {}))
                self._content(here, o.get("content", {}), n.get("content", {}), "response")

    def _headers(self, loc: Loc, old: JSON, new: JSON) -> None:
        # Header names are case-insensitive.
        old_headers = {name.lower(): value for name, value in old.items()}
        new_headers = {name.lower(): value for name, value in new.items()}
        for name, old_raw, new_raw in _pairs(old_headers, new_headers):
            here = replace(loc, base=f"{loc.base} header '{name}'")
            if not self._one_sided(here, old_raw, new_raw):
                o = self.old.mapping(old_raw, "a response header")
                n = self.new.mapping(new_raw, "a response header")
                self._docs(here, o, n, ("description", "example", "examples"))
                self.schema(o.get("schema", {}), n.get("schema", {}), here, "response")

    def _content(self, loc: Loc, old: JSON, new: JSON, side: Side) -> None:
        for media in [*old, *(m for m in new if m not in old)]:
            media_base = loc.base if media == "application/json" else f"{loc.base} {media}"
            here = replace(loc, base=media_base, whole="body")
            if media not in new:
                self.report(loc, Kind.BREAKING, f"media type {media} removed")
            elif media not in old:
                self.report(loc, Kind.NON_BREAKING, f"media type {media} added")
            else:
                self._docs(here, old[media], new[media], ("example", "examples"))
                self.schema(old[media].get("schema", {}), new[media].get("schema", {}), here, side)

    def _security(self, loc: Loc, old: list[JSON], new: list[JSON]) -> None:
        def alternatives(requirements: list[JSON]) -> dict[tuple[Any, ...], str]:
            found: dict[tuple[Any, ...], str] = {}
            for requirement in requirements:
                key = tuple(sorted((name, tuple(sorted(s))) for name, s in requirement.items()))
                found[key] = " + ".join(name for name, _ in key) or "none (anonymous)"
            return found

        old_alts, new_alts = alternatives(old), alternatives(new)
        for key, label in old_alts.items():
            if key not in new_alts:
                self.report(loc, Kind.BREAKING, f"security alternative {label} removed")
        for key, label in new_alts.items():
            if key not in old_alts:
                self.report(loc, Kind.NON_BREAKING, f"security alternative {label} added")

    # -- schemas ---------------------------------------------------------------------------

    def schema(self, old: Any, new: Any, loc: Loc, side: Side) -> None:
        o, old_refs = self.old.schema(old)
        n, new_refs = self.new.schema(new)
        key = (old_refs, new_refs, side)
        guarded = bool(old_refs or new_refs)
        if guarded:
            if key in self._active:
                return  # a recursive schema: this pair is being compared further up
            self._active.add(key)
        try:
            self._schema(o, n, loc, side)
        finally:
            if guarded:
                self._active.discard(key)

    def _schema(self, o: JSON, n: JSON, loc: Loc, side: Side) -> None:
        self._docs(loc, o, n, ("description", "title", "example", "externalDocs"))
        self._deprecated(loc, o, n)
        self._unclassified(loc, o, n, SCHEMA_KEYS)
        if self._union(o, n, loc, side) or self._type(o, n, loc, side):
            return
        self._format(o, n, loc, side)
        self._nullable(o, n, loc, side)
        self._enum(o, n, loc, side)
        self._bounds(o, n, loc, side)
        self._object(o, n, loc, side)
        if "items" in o or "items" in n:
            self.schema(o.get("items", {}), n.get("items", {}), loc.items(), side)

    def _union(self, o: JSON, n: JSON, loc: Loc, side: Side) -> bool:
        """Compare ``oneOf``/``anyOf`` branches (a plain schema is a union of one); True when
        either side is a union, which then says everything about this schema."""
        old_kw, old_alts = _alternatives(o)
        new_kw, new_alts = _alternatives(n)
        if old_kw is None and new_kw is None:
            return False
        keyword = new_kw or old_kw or "oneOf"
        if old_kw and new_kw and old_kw != new_kw:
            self.report(loc, Kind.WARNING, f"{old_kw} -> {new_kw}")
        old_labels = [self._label(self.old, alt) for alt in old_alts]
        new_labels = [self._label(self.new, alt) for alt in new_alts]
        old_left, new_left = list(range(len(old_alts))), list(range(len(new_alts)))
        pairs: list[tuple[int, int]] = []
        for i in list(old_left):
            j = next((j for j in new_left if new_labels[j] == old_labels[i]), None)
            if j is not None:
                pairs.append((i, j))
                old_left.remove(i)
                new_left.remove(j)
        if len(old_left) == 1 and len(new_left) == 1:  # one branch changed in place
            pairs.append((old_left.pop(), new_left.pop()))
        for i in old_left:
            self.report(loc, Kind.BREAKING, f"{keyword} alternative {old_labels[i]} removed")
        for j in new_left:
            kind = widened(side, parsed=True)
            note = " (the current client cannot parse it)" if kind is Kind.BREAKING else ""
            self.report(loc, kind, f"{keyword} alternative {new_labels[j]} added{note}")
        for i, j in pairs:
            label = f"{keyword} alternative {new_labels[j]}"
            self.schema(old_alts[i], new_alts[j], loc.alternative(label), side)
        return True

    def _label(self, doc: Document, alt: Any) -> str:
        if isinstance(alt, dict) and isinstance(alt.get("$ref"), str):
            return str(alt["$ref"]).rsplit("/", 1)[-1]
        flat, _ = doc.schema(alt)
        return str(flat.get("type", "any"))

    def _type(self, o: JSON, n: JSON, loc: Loc, side: Side) -> bool:
        """Report a type change; True when there was one (nothing further is comparable)."""
        old, new = o.get("type"), n.get("type")
        if old == new:
            return False
        if old is not None and new is not None:
            self.report(loc, Kind.BREAKING, f"type {old} -> {new}")
        elif new is None:
            self.report(loc, widened(side, parsed=True), f"type {old} removed (any type)")
        else:
            self.report(loc, narrowed(side), f"type {new} added (narrowed)")
        return True

    def _format(self, o: JSON, n: JSON, loc: Loc, side: Side) -> None:
        old, new = o.get("format"), n.get("format")
        if old == new:
            return
        what = f"format {_show(old)} -> {_show(new)}"
        if {old, new} & TYPED_FORMATS:
            self.report(loc, Kind.BREAKING, f"{what} (the generated attribute's type changes)")
        elif new is None or (old, new) in WIDER_FORMATS:
            self.report(loc, widened(side, parsed=new is not None), f"{what} (widened)")
        elif old is None or (new, old) in WIDER_FORMATS:
            self.report(loc, narrowed(side), f"{what} (narrowed)")
        else:
            self.report(loc, Kind.BREAKING, what)

    def _nullable(self, o: JSON, n: JSON, loc: Loc, side: Side) -> None:
        was, now = bool(o.get("nullable")), bool(n.get("nullable"))
        if was and not now:
            self.report(loc, narrowed(side), "nullable removed (null refused)")
        elif now and not was:
            self.report(loc, widened(side, parsed=True), "nullable added (null allowed)")

    def _enum(self, o: JSON, n: JSON, loc: Loc, side: Side) -> None:
        old, new = o.get("enum"), n.get("enum")
        if old == new:
            return
        if old is None:
            self.report(loc, narrowed(side), f"enum {new} added (narrowed)")
            return
        if new is None:
            self.report(loc, widened(side, parsed=True), f"enum {old} removed (any value)")
            return
        for value in old:
            if value not in new:
                self.report(loc, narrowed(side), f"enum value {value!r} removed")
        for value in new:
            if value not in old:
                kind = widened(side, parsed=True)
                note = " (the current client refuses values it does not know)"
                self.report(
                    loc, kind, f"enum value {value!r} added{note if side == 'response' else ''}"
                )

    def _bounds(self, o: JSON, n: JSON, loc: Loc, side: Side) -> None:
        for key in (*LOWER_BOUNDS, *UPPER_BOUNDS, "pattern", "multipleOf"):
            old, new = o.get(key), n.get(key)
            if old == new:
                continue
            if old is None:
                self._bound(loc, side, True, f"{key} {_show(new)} added")
            elif new is None:
                self._bound(loc, side, False, f"{key} {_show(old)} removed")
            else:
                self._bound(
                    loc, side, _tighter(key, old, new), f"{key} {_show(old)} -> {_show(new)}"
                )
        for key in FLAG_BOUNDS:
            was, now = bool(o.get(key)), bool(n.get(key))
            if was != now:
                self._bound(loc, side, now, f"{key} {_show(was)} -> {_show(now)}")
        additional_old = o.get("additionalProperties", True)
        additional_new = n.get("additionalProperties", True)
        if isinstance(additional_old, dict) and isinstance(additional_new, dict):
            self.schema(additional_old, additional_new, loc.field("*"), side)
        elif additional_old != additional_new:
            tighter = additional_new is False or additional_old is True
            shown = (
                "a schema" if isinstance(v, dict) else _show(v)
                for v in (additional_old, additional_new)
            )
            self._bound(loc, side, tighter, "additionalProperties {} -> {}".format(*shown))

    def _bound(self, loc: Loc, side: Side, tighter: bool | None, what: str) -> None:
        """A bound or pattern: tighter (True), looser (False) or changed, direction unknown."""
        if tighter is None:
            kind = Kind.BREAKING if side == "request" else Kind.WARNING
            self.report(loc, kind, f"{what} (changed)")
        elif tighter:
            self.report(loc, narrowed(side), f"{what} (tightened)")
        else:
            self.report(loc, widened(side, parsed=False), f"{what} (loosened)")

    def _object(self, o: JSON, n: JSON, loc: Loc, side: Side) -> None:
        old_props, new_props = o.get("properties") or {}, n.get("properties") or {}
        old_required, new_required = set(o.get("required") or []), set(n.get("required") or [])
        for name in [*old_props, *(p for p in new_props if p not in old_props)]:
            here = loc.field(name)
            if name not in new_props:
                self.report(here, Kind.BREAKING, "removed")
            elif name not in old_props:
                if side == "request" and name in new_required:
                    self.report(here, Kind.BREAKING, "added, required")
                else:
                    optional = ", optional" if side == "request" else ""
                    self.report(here, Kind.NON_BREAKING, f"added{optional}")
            else:
                self._required(here, side, name in old_required, name in new_required)
                self.schema(old_props[name], new_props[name], here, side)

    def _required(self, loc: Loc, side: Side, was: bool, now: bool) -> None:
        if was == now:
            return
        if now:
            self.report(loc, narrowed(side), "made required")
        elif side == "request":
            self.report(loc, Kind.NON_BREAKING, "made optional")
        else:
            self.report(loc, Kind.BREAKING, "made optional (replies may leave it out)")


def _tighter(key: str, old: Any, new: Any) -> bool | None:
    """Whether a changed bound admits fewer values; None when it cannot be told (a pattern)."""
    if key in LOWER_BOUNDS:
        return bool(new > old)
    if key in UPPER_BOUNDS:
        return bool(new < old)
    if key == "multipleOf" and new % old == 0:
        return True
    if key == "multipleOf" and old % new == 0:
        return False
    return None


def _alternatives(schema: JSON) -> tuple[str | None, list[Any]]:
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            return keyword, list(schema[keyword])
    plain = {key: value for key, value in schema.items() if key not in DOC_KEYS}
    return None, [plain]


def diff(old: JSON, new: JSON) -> list[Change]:
    """Every difference between two OpenAPI 3.0 documents, classified for clients of ``old``."""
    return Differ(old, new).run()


def exit_status(changes: Sequence[Change]) -> int:
    return 1 if any(change.kind is Kind.BREAKING for change in changes) else 0


SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


def next_version(version: str, level: str) -> str | None:
    """``version`` bumped by ``level`` (major, minor, patch); None unless ``version`` is
    plain semver."""
    found = SEMVER.fullmatch(version)
    if not found:
        return None
    major, minor, patch = (int(part) for part in found.groups())
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def render(
    changes: Sequence[Change],
    *,
    base: str,
    old_version: str,
    new_version: str,
    spec: str = SPEC,
) -> str:
    lines = [f"spec-diff {spec}: {base} ({old_version}) -> working tree ({new_version})"]
    if not changes:
        return "\n".join([*lines, "no changes", "exit status 0: nothing breaks"])
    for kind in Kind:
        found = [change for change in changes if change.kind is kind]
        if found:
            lines.append(f"{HEADINGS[kind]} ({len(found)}):")
            lines.extend(f"  {change}" for change in found)
    kinds = [change.kind for change in changes if change.releases]
    if kinds:
        level = RELEASE_LEVELS[min(kinds, key=list(Kind).index)]
        wanted = next_version(old_version, level)
        if wanted is None:
            lines.append(f"release: {level} (info.version {old_version!r} is not semver)")
        else:
            have = SEMVER.fullmatch(new_version)
            enough = have is not None and _as_tuple(new_version) >= _as_tuple(wanted)
            todo = "" if enough else ": bump info.version and pyproject.toml (CHANGELOG.md)"
            lines.append(f"release: {level}, {old_version} -> {wanted}{todo}")
    status = exit_status(changes)
    lines.append(f"exit status {status}: {'something breaks' if status else 'nothing breaks'}")
    return "\n".join(lines)


def _as_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# -- the command ---------------------------------------------------------------------------


def _git(root: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    if git is None:
        raise SpecError("git is not installed")
    command = [git, *(["-C", str(root)] if root else []), *args]
    # Arguments are passed as a list (no shell); a ref cannot become an option (--end-of-options).
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def _repository() -> Path:
    found = _git(None, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise SpecError(f"not inside a git repository: {found.stderr.strip()}")
    return Path(found.stdout.strip())


def _base_text(root: Path, ref: str, spec: str) -> str:
    if not ref.strip():
        raise SpecError("BASE is empty: name a git ref, e.g. BASE=HEAD or BASE=origin/main")
    commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise SpecError(
            f"unknown git ref {ref!r}: no branch, tag or commit of that name "
            "(try HEAD, origin/main or a release tag; `git fetch` first for a remote one)"
        )
    shown = _git(root, "show", f"{commit.stdout.strip()}:{spec}")
    if shown.returncode != 0:
        raise SpecError(f"{spec} does not exist at {ref!r}")
    return shown.stdout


def load(text: str, label: str) -> JSON:
    """Parse one version of the spec, refusing anything that is not an OpenAPI document."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise SpecError(f"{label} is not readable YAML: {problem}") from problem
    if (
        not isinstance(document, dict)
        or "openapi" not in document
        or not isinstance(document.get("paths"), dict)
    ):
        raise SpecError(f"{label} is not an OpenAPI document (no 'openapi' and 'paths' keys)")
    return document


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.spec_diff",
        description="Compare the spec at a git ref with the working tree, by effect on clients.",
        epilog="exit status: 0 nothing breaks, 1 something breaks, 2 unusable call or spec",
    )
    parser.add_argument("--base", default="HEAD", help="git ref to compare with (default HEAD)")
    parser.add_argument("--spec", default=SPEC, help=f"the spec's path in the repository ({SPEC})")
    args = parser.parse_args(argv)
    try:
        root = _repository()
        old = load(_base_text(root, args.base, args.spec), f"{args.spec} at {args.base!r}")
        path = root / args.spec
        try:
            new_text = path.read_text(encoding="utf-8")
        except OSError as problem:
            raise SpecError(f"cannot read {args.spec} in the working tree: {problem}") from problem
        new = load(new_text, f"{args.spec} in the working tree")
        try:
            changes = diff(old, new)
        except (KeyError, TypeError, AttributeError) as problem:
            raise SpecError(
                f"a spec is malformed where spec-diff looked ({type(problem).__name__}: "
                f"{problem}); `make validate-spec` says where"
            ) from problem
    except SpecError as error:
        print(f"spec-diff: {error}", file=sys.stderr)
        return 2
    versions = (str(doc.get("info", {}).get("version")) for doc in (old, new))
    old_version, new_version = versions
    print(
        render(
            changes,
            base=args.base,
            old_version=old_version,
            new_version=new_version,
            spec=args.spec,
        )
    )
    return exit_status(changes)


if __name__ == "__main__":
    sys.exit(main())
