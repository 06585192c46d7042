"""Park-year profile fields of kind text, date and time zone (填报单位, 填报人, 填报时间, 时区):
read from the dataset's `park:` section, checked, and left out of the profile when empty."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ecopark.core.dataset.loading import load_dataset
from ecopark.core.dataset.profile import Profile
from ecopark.core.errors import DatasetError

SEED = Path(__file__).parent.parent / "examples" / "wujin-2018" / "dataset.yaml"


def _with_park_lines(tmp_path: Path, lines: str) -> Path:
    text = SEED.read_text(encoding="utf-8").replace(
        "  region_class: other\n", f"  region_class: other\n{lines}\n", 1)
    path = tmp_path / "dataset.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = ("region_class", "filler_org", "filler", "filled_on", "time_zone")


def _header(fields: dict[str, str]) -> dict[str, str]:
    """The table's header fields (the seed also carries its 园区概况 facts)."""
    return {k: v for k, v in fields.items() if k in HEADER}


def test_empty_fields_stay_out_of_the_profile() -> None:
    assert _header(load_dataset(SEED).profile.fields) == {"region_class": "other"}


def test_the_printed_date_is_read(tmp_path: Path) -> None:
    profile = load_dataset(_with_park_lines(tmp_path, '  filled_on: "2019-05-22"')).profile
    assert _header(profile.fields) == {"region_class": "other", "filled_on": "2019-05-22"}
    assert profile.filled_on() == datetime.date(2019, 5, 22)


def test_text_fields_and_a_time_zone_are_read(tmp_path: Path) -> None:
    path = _with_park_lines(tmp_path, "  filler_org: 武进经开区安全环保科\n  filler: 张三\n"
                                      "  time_zone: Asia/Urumqi")
    profile = load_dataset(path).profile
    assert {k: profile.fields[k] for k in ("filler_org", "filler", "time_zone")} == {
        "filler_org": "武进经开区安全环保科", "filler": "张三", "time_zone": "Asia/Urumqi"}
    late = datetime.datetime(2019, 5, 21, 17, 30, tzinfo=datetime.UTC)
    assert profile.filled_on(late) == datetime.date(2019, 5, 21)  # 23:30 in Urumqi (UTC+6)


def test_a_yaml_date_is_accepted(tmp_path: Path) -> None:
    path = _with_park_lines(tmp_path, "  filled_on: 2019-05-23")
    assert load_dataset(path).profile.filled_on() == datetime.date(2019, 5, 23)


@pytest.mark.parametrize(("line", "key", "fragment"), [
    ('  filled_on: "五月二十二日"', "park.filled_on", "2015-03-02"),
    ("  time_zone: Beijing", "park.time_zone", "such as Asia/Shanghai"),
])
def test_a_bad_date_or_zone_names_its_key(tmp_path: Path, line: str, key: str,
                                          fragment: str) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(_with_park_lines(tmp_path, line))
    assert caught.value.key_path == key and fragment in str(caught.value)


def test_today_defaults_to_china_not_the_servers_utc_date() -> None:
    # 20:00 UTC on 6 December is 04:00 on 7 December in Shanghai
    evening = datetime.datetime(2026, 12, 6, 20, 0, tzinfo=datetime.UTC)
    assert Profile("园区", 2012).today(evening) == datetime.date(2026, 12, 7)


def test_a_date_written_the_chinese_way_is_read(tmp_path: Path) -> None:
    profile = load_dataset(_with_park_lines(tmp_path, '  filled_on: "2019年5月22日"')).profile
    assert profile.filled_on() == datetime.date(2019, 5, 22)
