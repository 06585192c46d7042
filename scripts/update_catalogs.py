"""Update the web pages' message catalogs from the texts the templates and the web code use:

    .venv/bin/python scripts/update_catalogs.py

Extracts every `_("…")`, `gettext("…")` and `N_("…")` from src/ecopark/web (templates with
Jinja2's extractor, code with Babel's), adds new message ids to both catalogs (English: the id
itself, since ids are English; Chinese: empty, to be translated) and drops ids no longer used.
tests/web/test_pages_i18n.py fails while an id is missing or a translation is empty.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "src" / "ecopark" / "web"
KEYWORDS = {"_": None, "gettext": None, "N_": None}
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]


def used_ids() -> dict[str, list[tuple[str, int]]]:
    """msgid → where it is used (file, line)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for file, line, message, _comments, _context in extract_from_dir(
            WEB, METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}}):
        if isinstance(message, str) and message:
            out.setdefault(message, []).append((file, line))
    return out


def update(locale: str, ids: dict[str, list[tuple[str, int]]]) -> int:
    path = WEB / "locale" / locale / "LC_MESSAGES" / "messages.po"
    old: dict[str, str] = {}
    if path.exists():
        with path.open("rb") as handle:
            old = {str(m.id): str(m.string) for m in read_po(handle) if m.id}
    catalog = Catalog(locale=locale, project="ecopark", domain="messages")
    for msgid in sorted(ids):
        string = old.get(msgid) or (msgid if locale == "en" else "")
        catalog.add(msgid, string, locations=ids[msgid][:3])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return sum(1 for msgid in ids if not (old.get(msgid) or locale == "en"))


def main() -> None:
    ids = used_ids()
    for locale in ("zh_CN", "en"):
        missing = update(locale, ids)
        print(f"{locale}: {len(ids)} messages, {missing} without a translation")


if __name__ == "__main__":
    main()
