"""How long a write on the UI thread waits for the database, and how it tries again while another write holds it."""

from __future__ import annotations

# A window's rating takes milliseconds: a first try waits this long before the screen says it is saving. Then it
# tries again every RETRY_S, each try holding the UI thread at most RETRY_WAIT_MS (keys and redraws go on), until
# GIVE_UP_S after the first (a sync merging 250,000 records holds the database for several seconds).
FIRST_WAIT_MS, RETRY_S, RETRY_WAIT_MS, GIVE_UP_S = 300, 0.25, 50, 30.0
