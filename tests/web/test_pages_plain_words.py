"""The indicator pages a reviewer reads carry no developer words: for every indicator of the
seed park, in Chinese and English, no item id, command name, [likely]/[certain] mark, formula
function call or number in scientific notation; the 依据 line cites the standard and the
indicator in plain words."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from ecopark import Evaluation, evaluate, load_dataset, load_framework
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.yamlfile import read_yaml
from ecopark.store import auth, repository
from ecopark.store.settings import Settings
from ecopark.web.i18n import COOKIE

from ..conftest import ROOT, SEED
from ..dbfixtures import World
from ..reports.test_plain_words import developer_words
from .pages import csrf_of, sign_in


def speak(client: TestClient, lang: str) -> None:
    """Choose the pages' language as the language switch does (its cookie)."""
    client.cookies.set(COOKIE, "en" if lang == "en" else "zh_CN")


def in_words(found: list[str], lang: str) -> list[str]:
    """In English an id that is one plain word (energy, wastewater, employees) is the word
    itself: only ids of several words (recycling_industry_va) are developer words there."""
    return found if lang != "en" else [f for f in found
                                       if not f.startswith("item id ") or "_" in f]


def page_text(page: str) -> str:
    main = page[page.index("<main"):page.index("</main>")] if "<main" in page else page
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", main))


def test_every_trace_page_reads_without_developer_words(client: TestClient,
                                                        world: World) -> None:
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    sign_in(client, world, "officer-a")
    for lang in ("zh", "en"):
        speak(client, lang)
        for ind in evaluation.framework.indicators:
            url = f"/parks/{world.park_a}/years/2018/indicators/{ind.number}"
            page = client.get(url)
            assert page.status_code == 200, url
            text = page_text(page.text)
            assert in_words(developer_words(text, evaluation), lang) == [], (lang, ind.number)
            assert "[likely]" not in text and "(spec)" not in text
    speak(client, "zh")
    zh = page_text(client.get(f"/parks/{world.park_a}/years/2018/indicators/26").text)
    assert "HJ 274-2015《国家生态工业示范园区标准》 指标26" in zh
    assert "-（二氧化碳排放量 / 工业增加值）的年均增长率" in zh


# ------------------------------------------------------------------ the other pages (issue 14)

DEMO = ROOT / "examples" / "zero-carbon-demo" / "dataset.yaml"
FIELD_KEYS = ("approval_date", "approval_doc", "plan_approval_date", "filler_org", "time_zone",
              "leading_industries", "region_class", "base_year_note", "park_scope")


def _words(text: str, evaluation: Evaluation) -> list[str]:
    """Developer words plus the park-year fields' keys (approval_date, filler_org …)."""
    keys = {*FIELD_KEYS, *evaluation.framework.spec.profile_fields,
            *evaluation.framework.spec.settings, *(g.id for g in evaluation.framework.spec.gates)}
    found = developer_words(text, evaluation)
    found += [f"field key {key}" for key in sorted(keys) if "_" in key
              and re.search(rf"(?<![A-Za-z0-9_]){re.escape(key)}(?![A-Za-z0-9_])", text)]
    return found


@pytest.fixture
def zero_carbon(world: World, settings: Settings) -> int:
    """The zero-carbon demo as a third park, with its own officer."""
    spec = DatasetFile.model_validate(read_yaml(DEMO))
    with world.store.session(actor="fixture") as session:
        park_year = repository.save_dataset(session, spec, load_framework(spec.framework))
        world.passwords["officer-z"] = "Secret-9-pass-Q7-zz"
        auth.create_user(session, "officer-z", "park_officer", world.passwords["officer-z"],
                         auth.hasher(settings), park=park_year.park)
        return park_year.park.id


def _pages(client: TestClient, paths: list[str], evaluation: Evaluation) -> dict[str, list[str]]:
    found = {}
    for lang in ("zh", "en"):
        speak(client, lang)
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, (path, page.status_code)
            words = in_words(_words(page_text(page.text), evaluation), lang)
            if words:
                found[f"{lang} {path}"] = words
    return found


def test_the_table_page_and_the_data_forms_of_an_hj274_park(client: TestClient,
                                                            world: World) -> None:
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    sign_in(client, world, "officer-a")
    base = f"/parks/{world.park_a}/years/2018"
    paths = [base, f"{base}/profile",
             *(f"{base}/edit/{c.id}" for c in evaluation.framework.spec.categories)]
    assert _pages(client, paths, evaluation) == {}


def test_the_zero_carbon_pages(client: TestClient, world: World, zero_carbon: int) -> None:
    dataset = load_dataset(DEMO)
    evaluation = evaluate(load_framework(dataset.framework_id), dataset)
    sign_in(client, world, "officer-z")
    base = f"/parks/{zero_carbon}/years/2027"
    paths = [base, f"{base}/choices", f"{base}/inventory",
             *(f"{base}/edit/{c.id}" for c in evaluation.framework.spec.categories)]
    assert _pages(client, paths, evaluation) == {}
    for lang, kinds, hj274 in (("zh", ("核心指标", "引导性指标"), ("必选", "可选", "是否为考核指标")),
                               ("en", ("core", "guidance"), ("mandatory", "Assessed"))):
        speak(client, lang)
        page = client.get(base).text
        start = page.index('<table class="grid assessment"')
        table = page_text(page[start:page.index("</table>", start)])
        assert all(kind in table for kind in kinds), lang  # the framework's own words
        assert [word for word in hj274 if word in table] == [], lang


def test_an_hj274_table_page_keeps_its_selection_column(client: TestClient,
                                                        world: World) -> None:
    sign_in(client, world, "officer-a")
    speak(client, "zh")
    page = client.get(f"/parks/{world.park_a}/years/2018").text
    start = page.index('<table class="grid assessment"')
    table = page[start:page.index("</table>", start)]
    assert "是否为考核指标" in table and "必选" in table and "可选" in table


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_import_preview_names_fields_in_plain_words(client: TestClient, world: World,
                                                        lang: str, tmp_path: Path) -> None:
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["park"].update({"approval_date": "2014-05", "filler_org": "常州市武进区生态环境局",
                         "time_zone": "Asia/Urumqi", "region_class": "water_scarce",
                         "base_year_note": "按规划文本"})
    file = tmp_path / "dataset.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/upload"
    speak(client, lang)
    with file.open("rb") as handle:
        preview = client.post(path, data={"csrf_token": csrf_of(client, path)},
                              files={"file": ("dataset.yaml", handle)})
    assert preview.status_code == 200
    text = page_text(preview.text)
    assert in_words(_words(text, evaluation), lang) == []
    text = " ".join(text.split())
    if lang == "zh":
        assert "区域类别: 其他地区 → 缺水城市" in text and "填报单位: — → 常州市武进区生态环境局" in text
        assert "创建批复日期: 2013-04 → 2014-05" in text and "时区: — → Asia/Urumqi" in text
    else:
        assert "region class: elsewhere → water-scarce city" in text
        assert "reporting organisation: — → 常州市武进区生态环境局" in text
