"""Enterprise submissions: draft → submitted → accepted | rejected (with a reason) → draft."""

from __future__ import annotations

import pytest

from ecopark import Framework
from ecopark.core.errors import Conflict, InvalidValue, UnitError
from ecopark.store import repository, submissions
from ecopark.store.engine import Store
from ecopark.store.submissions import SubmittedValue

from ..dbfixtures import seed_spec


def test_the_life_of_a_submission(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        park = repository.save_dataset(session, seed_spec(), hj274).park
        enterprise = submissions.create_enterprise(session, park, "甲")
    with store.session(actor="ent") as session:
        enterprise = submissions.get_enterprise(session, enterprise.id)
        sub = submissions.save_draft(session, enterprise, 2018, [
            SubmittedValue("energy", 1.5, "万吨标准煤"), SubmittedValue("fresh_water", "/")])
        assert [v.value for v in sub.values] == [pytest.approx(15000.0), None]
        submissions.submit(session, sub)
        with pytest.raises(Conflict):
            submissions.save_draft(session, enterprise, 2018, [SubmittedValue("energy", 1)])
    with store.session(actor="officer") as session:
        sub = submissions.get_submission(session, submissions.get_enterprise(session,
                                                                             enterprise.id), 2018)
        with pytest.raises(InvalidValue):
            submissions.reject(session, sub, "  ")
        submissions.reject(session, sub, "能耗单位有误")
        assert (sub.status, sub.decided_by) == ("rejected", "officer")
        with pytest.raises(Conflict) as raised:
            submissions.accept(session, sub)
        assert raised.value.message("zh") == (
            "报送 submission 甲 2018：该报送已被退回，不能接受 the submission has been returned, "
            "so it cannot be accepted。建议：只有待审核的报送才能接受 only a submission that is "
            "awaiting review can be accepted")
        sub = submissions.save_draft(session, sub.enterprise, 2018, [SubmittedValue("energy", 2)])
        assert (sub.status, sub.reason) == ("draft", "")
        submissions.submit(session, sub)
        submissions.accept(session, sub)
        assert sub.status == "accepted"


def test_values_are_checked_by_the_core(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        enterprise = submissions.create_enterprise(session, repository.park_by_name(
            session, "园", create=True), "甲")
        with pytest.raises(UnitError) as raised:
            submissions.save_draft(session, enterprise, 2018, [SubmittedValue("energy", 1, "米")])
        assert raised.value.key_path == "values.energy"
        with pytest.raises(InvalidValue):
            submissions.save_draft(session, enterprise, 2018, [SubmittedValue("energy", 1),
                                                               SubmittedValue("energy", 2)])
        with pytest.raises(InvalidValue):
            submissions.submit(session, submissions.save_draft(session, enterprise, 2019, []))
