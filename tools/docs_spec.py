"""``python -m tools.docs_spec BUNDLE OUT``: the bundle as the HTML reference renders it, with
every security scheme written out under the description's ``# Authentication`` heading.

Redocly's renderer shows a scheme only behind each operation's "security details"; the signing
rule belongs in a section of its own, with a link. The schemes' descriptions stay in one place,
the spec; only the copy the HTML is built from gets the section.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

TITLES = {
    "tokenAuth": "Access token",
    "appAuth": "App signature",
    "userId": "X-User-Id",
    "signingDate": "X-Date",
}


def with_authentication(document: dict[str, Any]) -> dict[str, Any]:
    info = document["info"]
    if "# Authentication\n" not in info["description"]:
        raise SystemExit("docs_spec: info.description has no '# Authentication' heading")
    schemes = document["components"]["securitySchemes"]
    sections = [
        f"## {TITLES.get(name, name)}\n\n`{name}`: an `{scheme['type']}` in the "
        f"`{scheme['name']}` header.\n\n{scheme['description'].strip()}\n"
        for name, scheme in schemes.items()
    ]
    info["description"] = info["description"].rstrip() + "\n\n" + "\n".join(sections)
    return document


def main(argv: list[str]) -> None:
    source, out = argv
    document = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    text = yaml.safe_dump(with_authentication(document), sort_keys=False, allow_unicode=True)
    Path(out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
