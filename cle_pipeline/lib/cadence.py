"""How often a publisher updates what a source reads: the rhythms a `Source` declares.

Each source module says its own rhythm (`Source(..., cadence=DAILY)`): how often its publisher
updates the file, as the publisher's page says; `defs/automation/cadences.py` turns it into an
automation condition, a freshness policy and a `cadence` tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import dagster as dg


@dataclass(frozen=True)
class Cadence:
    """How often a publisher updates a source: when to look again (`cron`, None for never, and
    `description`, in French, shown in the UI), and how old the last successful read may get
    before it is stale (`warn_after`, `fail_after`)."""

    name: str
    description: str
    cron: str | None = None
    warn_after: timedelta | None = None
    fail_after: timedelta | None = None

    def freshness_policy(self) -> dg.FreshnessPolicy | None:
        """Stale after `warn_after`, failed after `fail_after`; none for a source never due."""
        if self.fail_after is None:
            return None
        return dg.FreshnessPolicy.time_window(
            fail_window=self.fail_after, warn_window=self.warn_after
        )


# A day's refresh at 06:00; a missed one shows as WARN after 26 h and FAIL after two days.
DAILY = Cadence("daily", "chaque jour à 6 h", "0 6 * * *", timedelta(hours=26), timedelta(days=2))
MONTHLY = Cadence(
    "monthly", "le 2 de chaque mois à 6 h", "0 6 2 * *", timedelta(days=32), timedelta(days=40)
)
QUARTERLY = Cadence(
    "quarterly",
    "le 2 janvier, le 2 avril, le 2 juillet et le 2 octobre à 6 h",
    "0 6 2 1,4,7,10 *",
    timedelta(days=93),
    timedelta(days=100),
)
YEARLY = Cadence(
    "yearly", "chaque 15 janvier à 6 h", "0 6 15 1 *", timedelta(days=367), timedelta(days=380)
)
# Results of past elections: cut once, and again only if the commune changes.
NEVER = Cadence("never", "jamais à date fixe (publication ponctuelle)")
# The commune's own files: read when the inbox sensor sees a new or changed file.
WHEN_SENT = Cadence(
    "when_sent",
    "dès que la commune dépose, modifie ou retire un fichier de son dossier "
    "(capteur `read_commune_inbox`)",
)
# Built from other sources only: rebuilt when they change.
DERIVED = Cadence("derived", "dès que les sources dont il est tiré changent")
