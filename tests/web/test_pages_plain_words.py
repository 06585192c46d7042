"""The indicator pages a reviewer reads carry no developer words: for every indicator of the
seed park, in Chinese and English, no item id, command name, [likely]/[certain] mark, formula
function call or number in scientific notation; the 依据 line cites the standard and the
indicator in plain words."""

from __future__ import annotations

import html as htmllib
import re

from fastapi.testclient import TestClient

from ecopark import evaluate, load_dataset, load_framework

from ..conftest import SEED
from ..dbfixtures import World
from ..reports.test_plain_words import developer_words
from .pages import sign_in


def page_text(page: str) -> str:
    main = page[page.index("<main"):page.index("</main>")] if "<main" in page else page
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", main))


def test_every_trace_page_reads_without_developer_words(client: TestClient,
                                                        world: World) -> None:
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    sign_in(client, world, "officer-a")
    for lang in ("zh", "en"):
        for ind in evaluation.framework.indicators:
            url = f"/parks/{world.park_a}/years/2018/indicators/{ind.number}"
            page = client.get(url, params={"lang": lang} if lang == "en" else None)
            assert page.status_code == 200, url
            text = page_text(page.text)
            assert developer_words(text, evaluation) == [], (lang, ind.number)
            assert "[likely]" not in text and "(spec)" not in text
    zh = page_text(client.get(f"/parks/{world.park_a}/years/2018/indicators/26").text)
    assert "HJ 274-2015《国家生态工业示范园区标准》 指标26" in zh
    assert "-（二氧化碳排放量 / 工业增加值）的年均增长率" in zh
