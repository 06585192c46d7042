"""Languages: every text the templates and the web code use is in both catalogs, English has no
empty translation (nor Chinese), the language switch works, and numbers and dates follow the
locale (Babel)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from ecopark.web.i18n import LOCALE_DIR, Translator

from ..dbfixtures import World
from .pages import sign_in

ROOT = Path(__file__).resolve().parents[2]


def _used() -> set[str]:
    spec = importlib.util.spec_from_file_location("update_catalogs",
                                                  ROOT / "scripts" / "update_catalogs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.used_ids())


def _catalog(locale: str) -> dict[str, str]:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def test_every_message_is_in_both_catalogs_and_translated() -> None:
    used = _used()
    assert len(used) > 200
    for locale in ("zh_CN", "en"):
        catalog = _catalog(locale)
        missing = sorted(used - set(catalog))
        assert not missing, f"{locale} lacks {missing[:10]} (run scripts/update_catalogs.py)"
        empty = sorted(k for k, v in catalog.items() if not v.strip())
        assert not empty, f"{locale} has empty translations: {empty[:10]}"


def test_placeholders_agree_between_the_catalogs() -> None:
    import re

    zh = _catalog("zh_CN")
    for msgid, text in zh.items():
        assert sorted(re.findall(r"%\((\w+)\)s", msgid)) == sorted(
            re.findall(r"%\((\w+)\)s", text)), msgid


def test_numbers_and_dates_follow_the_locale() -> None:
    when = dt.datetime(2024, 3, 5, 1, 30, tzinfo=dt.UTC)
    zh, en = Translator("zh_CN"), Translator("en")
    assert zh.number(12345.678, 2) == "12,345.68" == en.number(12345.678, 2)
    assert zh.datetime(when) == "2024/3/5 09:30"  # shown in China Standard Time
    assert en.datetime(when) == "3/5/24, 9:30\u202fAM"
    assert zh.value(True) == "是" and en.value(False) == "no"


def test_the_language_switch(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/years/2018"
    assert "总体判定" in client.get(path).text and 'lang="zh-CN"' in client.get(path).text
    switched = client.get(f"/lang/en?next={path}", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == path
    page = client.get(path)
    assert "Overall verdict" in page.text and 'lang="en"' in page.text
    assert "Not met" in page.text and "总体判定" not in page.text
    client.get("/lang/xx")
    assert "Overall verdict" in client.get(path).text  # an unknown locale changes nothing


def test_an_amount_shows_the_decimals_it_has() -> None:
    """Roll-up totals read 2,150,000 and 3.25, not 2,150,000.0000 and 3.2500 (at most 4
    decimals; nothing for no value)."""
    from ecopark.web.i18n import translator

    zh, en = translator("zh_CN"), translator("en")
    assert [zh.amount(v) for v in (2150000.0, 3.25, 1500.123456, 0.0, None)] == \
        ["2,150,000", "3.25", "1,500.1235", "0", "—"]
    assert en.amount(1234.5) == "1,234.5"
