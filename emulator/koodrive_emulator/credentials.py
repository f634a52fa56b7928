"""The credentials the emulator accepts: from the environment, else FAKE demo values.

The same variables drive ``koodrive_space.create_client()``, so one environment configures both
sides. The fallbacks below are FAKE: they exist only so the emulator and the demo work out of the
box, they open nothing anywhere, and they are safe to print and to commit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from koodrive_emulator.data import EXAMPLE_ACTING_USER

ENV_APP_ID = "KOODRIVE_APP_ID"
ENV_APP_SECRET = "KOODRIVE_APP_SECRET"
ENV_USER_ID = "KOODRIVE_USER_ID"
ENV_TOKEN = "KOODRIVE_TOKEN"

# FAKE demo credentials. Not secrets: documented, printed at start-up, used by `make demo` and by
# every cassette the emulator records.
FAKE_APP_ID = "emulator-demo-app-id"
FAKE_APP_SECRET = "emulator-demo-app-secret-FAKE-not-a-real-secret"
FAKE_USER_ID = EXAMPLE_ACTING_USER  # the user of KooDrive's published signing example
FAKE_TOKEN = "emulator-demo-token-FAKE-not-a-real-token"


@dataclass(frozen=True)
class Credentials:
    app_id: str = FAKE_APP_ID
    app_secret: str = field(default=FAKE_APP_SECRET, repr=False)
    user_id: str = FAKE_USER_ID
    token: str = field(default=FAKE_TOKEN, repr=False)
    from_env: frozenset[str] = frozenset()  # the variables that supplied a value

    @classmethod
    def fake(cls) -> Credentials:
        """The documented fake values, whatever the environment says."""
        return cls()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        given = {
            name for name in (ENV_APP_ID, ENV_APP_SECRET, ENV_USER_ID, ENV_TOKEN) if env.get(name)
        }
        return cls(
            app_id=env.get(ENV_APP_ID) or FAKE_APP_ID,
            app_secret=env.get(ENV_APP_SECRET) or FAKE_APP_SECRET,
            user_id=env.get(ENV_USER_ID) or FAKE_USER_ID,
            token=env.get(ENV_TOKEN) or FAKE_TOKEN,
            from_env=frozenset(given),
        )

    def describe(self) -> list[str]:
        """Lines for the start-up banner: fake values in full, values from the environment never."""
        lines = []
        for variable, label, value in (
            (ENV_APP_ID, "AppId", self.app_id),
            (ENV_APP_SECRET, "AppSecret", self.app_secret),
            (ENV_USER_ID, "X-User-Id", self.user_id),
            (ENV_TOKEN, "token", self.token),
        ):
            shown = (
                f"(from {variable})" if variable in self.from_env else f"{value}  (FAKE demo value)"
            )
            lines.append(f"  {label:<10} {shown}")
        return lines
