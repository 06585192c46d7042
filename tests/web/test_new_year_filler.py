"""填报单位, 填报人 and 填报时间 of a park-year on the new-year page: the organisation and the
person are carried over from the previous year, the date is not (it is the new year's own)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ..dbfixtures import World
from .pages import csrf_of, sign_in


def test_the_filler_is_carried_over_and_the_date_is_not(client: TestClient,
                                                        world: World) -> None:
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/new-year"
    offer = client.get(path).text
    assert 'id="profile:filled_on" name="profile:filled_on" type="date" maxlength="100" ' \
        'value=""' in offer  # the seed's 2018 table was filled in on 2019-05-22: not carried
    assert 'id="profile:time_zone" name="profile:time_zone" type="text" maxlength="100" ' \
        'value="" placeholder="Asia/Shanghai"' in offer
    made = client.post(path, data={"csrf_token": csrf_of(client, path), "year": "2019",
                                   "base_year": "2012", "profile:filler_org": "安全环保科",
                                   "profile:filler": "张三", "profile:filled_on": "2020-05-20"},
                       follow_redirects=False)
    assert made.status_code == 303
    park = client.get(f"/api/v1/parks/{world.park_a}/years/2019/dataset").json()["park"]
    assert (park["filler_org"], park["filler"], park["filled_on"]) == ("安全环保科", "张三",
                                                                       "2020-05-20")
    offer = client.get(path).text  # the next year takes the organisation and person over
    assert 'name="profile:filler_org" type="text" maxlength="100" value="安全环保科"' in offer
    assert 'name="profile:filled_on" type="date" maxlength="100" value=""' in offer
