"""Why the settings cannot be used, in words a user can act on: each problem names the
environment variable that sets it, what is wrong and what is accepted, and never repeats a
secret's value."""

from __future__ import annotations

import re

from pydantic import ValidationError
from pydantic_settings import SettingsError as SourceError

#: Settings whose environment variable is not `CRM_` + the name in capitals.
_ENV_NAMES = {
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
}
SECRETS = frozenset({"app_auth", "openai_api_key"})


def env_name(field: str) -> str:
    """The environment variable that sets a field (what a user types, not a pydantic path)."""
    return _ENV_NAMES.get(field, f"CRM_{field.upper()}")


class SettingsError(ValueError):
    """One or more settings are invalid; each line names its environment variable."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid settings:\n{listed}")

    @classmethod
    def from_validation(cls, err: ValidationError) -> SettingsError:
        problems = []
        for e in err.errors(include_url=False, include_input=True):
            field = str(e["loc"][0]) if e["loc"] else ""
            message = str(e["msg"]).removeprefix("Value error, ")
            if not field:  # a rule across fields: its message names the variables itself
                problems.append(message)
                continue
            # Pydantic's message never holds the value; ours shows it, except for secrets.
            given = "" if field in SECRETS else f" (got {str(e.get('input'))[:80]!r})"
            problems.append(f"{env_name(field)}: {message}{given}")
        return cls(problems)

    @classmethod
    def from_source(cls, err: SourceError) -> SettingsError:
        """A JSON setting that is not JSON (pydantic-settings fails before validation): named,
        its value never shown."""
        field = re.search(r'field "(\w+)"', str(err))
        name = env_name(field.group(1)) if field else "a setting"
        return cls([f"{name}: is not valid JSON ({err.__cause__})"])
