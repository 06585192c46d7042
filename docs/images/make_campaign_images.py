"""Screenshots of the reporting campaign and notification pages, taken by the browser test that
walks through them (tests/browser/test_campaigns.py: a demo server, Debian's Chromium):

    web-campaign-open.png          the officer opens a campaign (year, deadline, items)
    web-campaign-board.png         the completeness board after the reminders (1280 px)
    web-campaign-board-phone.png   the same at phone width (390 px)
    web-campaign-enterprise.png    the enterprise's page: the year asked for, its deadline
    web-notifications.png          the enterprise user's notifications

    .venv/bin/python docs/images/make_campaign_images.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/browser/test_campaigns.py"], cwd=ROOT, check=True,
                   env={**os.environ, "ECOPARK_SCREENSHOTS": "1"})
