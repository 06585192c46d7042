"""Languages of the web pages: message catalogs (gettext .po files read at run time with
Babel's reader, so there is no build step), the request's locale, and locale-aware numbers
and dates.

    locale/zh_CN/LC_MESSAGES/messages.po    简体中文 (the default)
    locale/en/LC_MESSAGES/messages.po       English

Message ids are English source texts; both catalogs translate every one (a test extracts the
ids from templates and code and checks both). `_("Hello %(name)s", name=x)` substitutes after
translation; templates are autoescaped, so substituted values are escaped too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern

__all__ = ["COOKIE", "DEFAULT", "LOCALES", "LOCALE_DIR", "N_", "Translator", "catalog", "translator"]

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = ("zh_CN", "en")
DEFAULT = "zh_CN"
COOKIE = "ecopark_lang"
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # times are shown in China Standard Time


def N_(msgid: str) -> str:
    """Mark a text for the catalogs where it is defined; it is translated where it is shown."""
    return msgid


@functools.cache
def catalog(locale: str) -> dict[str, str]:
    """msgid → translation of one locale (entries without a translation are left out)."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        messages = read_po(handle, locale=locale)
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


@dataclasses.dataclass(frozen=True)
class Translator:
    """One locale's texts, numbers and dates."""

    locale: str

    @property
    def lang(self) -> str:
        """The core's language code: zh or en (names and messages come in both)."""
        return "en" if self.locale == "en" else "zh"

    @property
    def html_lang(self) -> str:
        return "en" if self.locale == "en" else "zh-CN"

    def gettext(self, msgid: str, **values: object) -> str:
        text = catalog(self.locale).get(msgid, msgid)
        return text % values if values else text

    def pick(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def number(self, value: float | int, decimals: int = 2) -> str:
        return str(_pattern(decimals).apply(value, _locale(self.locale)))

    def amount(self, value: float | int | None, most: int = 4) -> str:
        """A quantity with as many decimals as it has, up to `most`: 1,500 and 3.25, not
        1,500.0000 and 3.2500; "—" for none."""
        if value is None:
            return "—"
        return str(_pattern(most, optional=True).apply(value, _locale(self.locale)))

    def value(self, value: object, decimals: int = 2) -> str:
        """An indicator or input value: numbers for the locale, yes/no and words translated."""
        if value is None:
            return "—"
        if isinstance(value, bool):
            return self.gettext("yes") if value else self.gettext("no")
        if isinstance(value, int | float) and abs(value) < 1e15:
            return self.number(value, decimals)
        return str(value)

    def datetime(self, value: dt.datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(value, "short", tzinfo=CHINA, locale=self.locale)


@functools.cache
def _pattern(decimals: int, optional: bool = False) -> NumberPattern:
    """A parsed Babel number pattern (parsing it is most of the cost of formatting a number);
    `optional`: the decimals are shown only as far as they are not zero."""
    digit = "#" if optional else "0"
    return parse_pattern("#,##0" + ("." + digit * decimals if decimals > 0 else ""))


@functools.cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def translator(locale: str | None) -> Translator:
    """The translator of a requested locale; anything unknown is the default (zh_CN)."""
    return Translator(locale if locale in LOCALES else DEFAULT)
