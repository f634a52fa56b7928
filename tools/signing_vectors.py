"""``python -m tools.signing_vectors OUT``: openapi/signing-vectors.yaml as the language-neutral
dist/koodrive-signing-vectors.json that ``make bundle`` ships.

Each vector gets its credentials, its request (method, url as on the wire, body) and the three
results a signer must reproduce: the hand-written canonical request, the string to sign (its
SHA-256) and the Authorization header (the HMAC-SHA256 keyed with the vector's secret).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
from pathlib import Path
from typing import Any

import yaml

SOURCE = Path(__file__).resolve().parent.parent / "openapi" / "signing-vectors.yaml"
SIGNED_HEADERS = "host;x-date;x-user-id"


def vectors(source: Path = SOURCE) -> dict[str, Any]:
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    algorithm = document["algorithm"]
    found = []
    for vector in document["vectors"]:
        credentials = {key: vector.get(key, document[key]) for key in ("app_id", "app_secret")}
        canonical = vector["canonical_request"]
        to_sign = f"{algorithm}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        secret = credentials["app_secret"].encode()
        signature = hmac.new(secret, to_sign.encode(), hashlib.sha256).hexdigest()
        found.append(
            {
                "name": vector["name"],
                "description": vector["description"],
                **credentials,
                "user_id": vector.get("user_id", document["user_id"]),
                "x_date": vector.get("x_date", document["x_date"]),
                "request": {
                    "method": vector["method"],
                    "url": vector["url"],
                    "body": vector.get("body", ""),
                },
                "canonical_request": canonical,
                "string_to_sign": to_sign,
                "authorization": f"{algorithm} AppId={credentials['app_id']},"
                f"SignedHeaders={SIGNED_HEADERS},Signature={signature}",
            }
        )
    return {"algorithm": algorithm, "vectors": found}


def main(argv: list[str]) -> None:
    (out,) = argv
    text = json.dumps(vectors(), indent=2, ensure_ascii=False) + "\n"
    Path(out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
