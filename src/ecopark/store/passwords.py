"""The password policy: at least `MIN_PASSWORD` characters, not the user name nor containing
it, and not one of the common passwords shipped in `data/common-passwords.txt` (compared in
lower case). `check_password` raises InvalidValue naming the rule that was broken."""

from __future__ import annotations

import functools
from importlib import resources

from ecopark.core.errors import InvalidValue

__all__ = ["MIN_PASSWORD", "check_password", "common_passwords"]

MIN_PASSWORD = 10
_MIN_NAME_IN_PASSWORD = 3  # shorter names are only refused when they are the whole password


@functools.cache
def common_passwords() -> frozenset[str]:
    text = resources.files("ecopark.store").joinpath("data/common-passwords.txt").read_text(
        encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def check_password(name: str, password: str) -> None:
    """Raise InvalidValue when `password` breaks the policy for user `name`."""
    if len(password) < MIN_PASSWORD:
        _refuse(f"密码至少 {MIN_PASSWORD} 个字符 the password needs at least {MIN_PASSWORD} "
                "characters")
    lowered, user = password.lower(), name.lower()
    if lowered == user or (len(user) >= _MIN_NAME_IN_PASSWORD and user in lowered):
        _refuse("密码不能包含用户名 the password must not contain the user name")
    if lowered in common_passwords():
        _refuse("这是常见密码，容易被猜中 this is a common password, easily guessed",
                "换一个更长、更少见的密码 choose a longer, less common one")


def _refuse(problem: str, hint: str = "") -> None:
    raise InvalidValue("password", problem, hint)
