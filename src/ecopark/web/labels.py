"""The words pages show for the store's and the core's codes (roles, statuses, verdicts,
finding severities), as catalog message ids; each status also has a symbol and a CSS class so
that it never relies on colour alone."""

from __future__ import annotations

from ecopark.web.i18n import N_

__all__ = ["ASSESSED", "LABELS", "ROLES", "SEVERITIES", "STATUSES", "SUBMISSIONS", "SYMBOLS",
           "VERDICTS", "VIAS"]

ROLES = {"admin": N_("Administrator"), "park_officer": N_("Park officer"),
         "enterprise": N_("Enterprise"), "reviewer": N_("Reviewer")}
STATUSES = {"met": N_("Met"), "not_met": N_("Not met"), "missing": N_("Missing data"),
            "not_applicable": N_("Not applicable"), "not_evaluable": N_("Not evaluable"),
            "exempted": N_("Exempted")}
SYMBOLS = {"met": "✓", "not_met": "✗", "missing": "…", "not_applicable": "—",
           "not_evaluable": "?", "exempted": "○", "passed": "✓", "failed": "✗", "incomplete": "…",
           "error": "✗", "warning": "!", "info": "i"}
VERDICTS = {"passed": N_("Passed"), "failed": N_("Failed"),
            "incomplete": N_("Incomplete (data missing)")}
SEVERITIES = {"error": N_("Error"), "warning": N_("Warning"), "info": N_("Note")}
SUBMISSIONS = {"draft": N_("Draft"), "submitted": N_("Submitted, awaiting review"),
               "accepted": N_("Accepted"), "rejected": N_("Rejected")}
ASSESSED = {"mandatory": N_("Mandatory"), "yes": N_("Selected"), "no": N_("Not selected")}
VIAS = {"form": N_("Data form"), "import": N_("Imported file"), "rollup": N_("Enterprise roll-up"),
        "api": N_("API"), "cli": N_("Command line"), "migration": N_("Earlier evaluation")}
LABELS = {"roles": ROLES, "statuses": STATUSES, "symbols": SYMBOLS, "verdicts": VERDICTS,
          "severities": SEVERITIES, "submissions": SUBMISSIONS, "assessed": ASSESSED,
          "vias": VIAS}
