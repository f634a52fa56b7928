"""Post-generation hook: embed the spec as ``openapi.json`` in the generated package.

openapi-python-client drops bounds (minimum, maxItems, ...) from the code it writes. The
hand-written layer reads them from this file instead, so the spec stays their single source and
an installed client needs no checkout. Runs in the generated package's folder (the generator's
working directory for post_hooks); the Makefile exports KOODRIVE_SPEC.
"""

import json
import os
import sys
from pathlib import Path

import yaml


def main() -> None:
    spec_path = os.environ.get("KOODRIVE_SPEC")
    if not spec_path:
        sys.exit("embed_spec.py: KOODRIVE_SPEC is not set; run it through `make generate`")
    spec = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))
    text = json.dumps(spec, indent=1, ensure_ascii=False) + "\n"
    Path("openapi.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
