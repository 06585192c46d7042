"""A demo database: the seed park (江苏武进经济开发区 2018, the bundled example wujin-2018), one
key enterprise with a submitted report and its environmental information, the park's public
disclosure page switched on, one user per role with a fresh random password, and a second park
under the zero-carbon framework (the spec's worked case, the bundled example zero-carbon-demo,
invented data) for its settings, gates, exemptions and carbon inventory.
"""

from __future__ import annotations

import dataclasses
import secrets
from pathlib import Path

from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.framework.loading import load_framework
from ecopark.core.yamlfile import read_yaml
from ecopark.io import examples
from ecopark.store import auth, repository, submissions
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings

__all__ = ["DEMO_ENTERPRISE", "DemoLogin", "create_demo", "seed_path", "zero_carbon_path"]

DEMO_ENTERPRISE = "武进示范企业（演示）"
DEMO_DISCLOSURE = ("（演示数据）主要污染物：COD、氨氮；废水经厂内预处理后接管园区污水处理厂；"
                   "排污许可证已取得，按证排污；在线监测数据实时上传。")


@dataclasses.dataclass(frozen=True)
class DemoLogin:
    name: str
    role: str
    password: str


def seed_path() -> Path:
    """The seed dataset, bundled with the package (`ecopark.io.examples`)."""
    return examples.dataset("wujin-2018")


def zero_carbon_path() -> Path:
    """The zero-carbon demo dataset (the spec's worked case), bundled with the package."""
    return examples.dataset("zero-carbon-demo")


def create_demo(store: Store, settings: Settings) -> list[DemoLogin]:
    """Create the schema and the demo data in an empty database; return the logins."""
    upgrade(store)
    spec = DatasetFile.model_validate(read_yaml(seed_path()))
    framework = load_framework(spec.framework)
    ph = auth.hasher(settings)
    logins = [DemoLogin(f"demo-{role}", role, secrets.token_urlsafe(9))
              for role in ("admin", "park_officer", "enterprise", "reviewer")]
    with store.session(actor="demo") as session:
        park_year = repository.save_dataset(session, spec, framework, source_file=str(seed_path()))
        enterprise = submissions.create_enterprise(session, park_year.park, DEMO_ENTERPRISE)
        draft = submissions.save_draft(session, enterprise, 2018, [
            submissions.SubmittedValue("energy", 1234.5, "吨标煤"),
            submissions.SubmittedValue("fresh_water", 12.3, "万立方米")])
        submissions.submit(session, draft)
        enterprise.key_enterprise, enterprise.disclosure = True, DEMO_DISCLOSURE
        park_year.park.publish_table = park_year.park.publish_enterprises = True
        zero_carbon = DatasetFile.model_validate(read_yaml(zero_carbon_path()))
        repository.save_dataset(session, zero_carbon, load_framework(zero_carbon.framework),
                                source_file=str(zero_carbon_path()))
        for login in logins:
            auth.create_user(session, login.name, login.role, login.password, ph,
                             park=park_year.park if login.role == "park_officer" else None,
                             enterprise=enterprise if login.role == "enterprise" else None)
    return logins
