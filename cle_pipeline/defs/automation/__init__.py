"""Running by itself: when each asset is rebuilt, how fresh it must be, and who is told what.

`cadences.py` holds the one table of the project's rhythms (source id → cadence) and the
function that turns it into automation conditions, freshness policies and `cadence` tags on
the loaded asset specs (applied in `definitions.py`, so no source or dataset module repeats
it); `inbox.py` watches the files the commune supplies; `alerts.py` tells people, by chat and
e-mail, about failed checks, failed runs, stale sources and unreadable inbox files.
"""
