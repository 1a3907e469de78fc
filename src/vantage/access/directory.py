"""Who may write what: partners, their children and their entries, cached in memory.

Partners carry what the Kaltura API needs to check sessions: secrets, KS version and longest
expiry, roles and status. The collector checks every event against this on the hot path, so it
answers from memory. It is reloaded from the store when the admin API changes partners or
entries, and per partner when an event names an entry it has not seen (at most once a second,
so a flood of unknown ids cannot turn into a flood of queries).
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass

import msgspec

from vantage.access.failures import FailureCounter
from vantage.access.ks_uses import UsageCounter
from vantage.entities.model import DEFAULT_ROLES, Role
from vantage.sql.expr import Col
from vantage.sql.plan import read
from vantage.store.engine import Engine, rows

RELOAD_INTERVAL_S = 1.0
_ROLES = msgspec.json.Decoder(list[Role])


@dataclass(frozen=True)
class PartnerAccess:
    id: int
    admin_secrets: tuple[str, ...]
    parent_partner_id: int | None
    status: str
    user_secret: str
    ks_version: int
    ks_max_expiry: int
    roles: tuple[Role, ...]


_PARTNER_COLUMNS = (
    "id",
    "admin_secrets",
    "parent_partner_id",
    "status",
    "user_secret",
    "ks_version",
    "ks_max_expiry",
    "roles",
)


class Directory:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._partners: dict[int, PartnerAccess] = {}
        self._entries: dict[int, set[str]] = {}
        self._entries_loaded_at: dict[int, float] = {}
        self.ks_uses = UsageCounter()
        self.failed_secrets = FailureCounter()
        self.reload_partners()

    def reload_partners(self) -> None:
        stored = rows(self._engine, read("partners", _PARTNER_COLUMNS))
        partners = {
            r[0]: PartnerAccess(
                r[0],
                tuple(r[1]),
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                tuple(_ROLES.decode(r[7])) or DEFAULT_ROLES,  # stored before roles had defaults
            )
            for r in stored
        }
        with self._lock:
            self._partners = partners

    def forget_entries(self, partner_ids: set[int] | None = None) -> None:
        with self._lock:
            for pid in partner_ids if partner_ids is not None else list(self._entries):
                self._entries.pop(pid, None)
                self._entries_loaded_at.pop(pid, None)

    def authenticate(self, partner_id: int, secret: str) -> PartnerAccess | None:
        """The partner, if ``secret`` is one of its admin secrets and it is not blocked."""
        partner = self._partners.get(partner_id)
        if partner is None or partner.status == "blocked":
            return None
        ok = any(hmac.compare_digest(secret, s) for s in partner.admin_secrets)
        return partner if ok else None

    def writable_partners(self, partner: PartnerAccess) -> set[int]:
        """A partner writes its own data and that of its child partners."""
        return {partner.id} | {
            p.id for p in self._partners.values() if p.parent_partner_id == partner.id
        }

    def partner(self, partner_id: int) -> PartnerAccess | None:
        return self._partners.get(partner_id)

    def has_entry(self, partner_id: int, entry_id: str) -> bool:
        entries = self._entries.get(partner_id)
        if entries is not None and entry_id in entries:
            return True
        loaded = self._entries_loaded_at.get(partner_id, 0.0)
        if entries is not None and time.monotonic() - loaded < RELOAD_INTERVAL_S:
            return False
        ours = Col("partner_id", "t").eq(partner_id)
        fresh = {r[0] for r in rows(self._engine, read("entries", ["id"], ours))}
        with self._lock:
            self._entries[partner_id] = fresh
            self._entries_loaded_at[partner_id] = time.monotonic()
        return entry_id in fresh
