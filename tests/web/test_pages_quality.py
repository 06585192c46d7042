"""The dashboard shows the data-quality findings: a count beside the verdict linking to a list
of them (each with its likely fix and the indicators it touches)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ..dbfixtures import World
from .pages import sign_in


def test_dashboard_counts_the_quality_findings_and_lists_them(client: TestClient,
                                                               world: World) -> None:
    sign_in(client, world, "officer-a")
    html = client.get(f"/parks/{world.park_a}/years/2018").text
    # the seed's one finding: NH3-N blank for 2012 leaves indicator 25's mean 3 of 4
    count = re.search(r'<p class="quality-count"><a href="#quality">(.*?)</a>(.*?)</p>', html, re.S)
    assert count is not None and count.group(1) == "数据质量：1 项发现"
    assert "! 警告 1" in count.group(2) and "错误" not in count.group(2)
    listing = html[html.index('<section class="panel" id="quality"'):]
    listing = listing[:listing.index("</section>")]
    assert f'href="/parks/{world.park_a}/years/2018/indicators/25">25</a>' in listing
    assert ("江苏武进经济开发区 2012年：缺少 氨氮排放量，指标 25（主要污染物排放弹性系数）的平均值"
            "只计入了 3/4 项（缺项不按 0 计）") in listing
    assert '<span class="fix">可能的更正：填写 氨氮排放量（2012年），使全部分项计入平均</span>' in listing
    assert "nh3n" not in listing  # names, never item ids
