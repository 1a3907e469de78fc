"""What an action handler knows about its caller and may use to answer."""

from __future__ import annotations

from dataclasses import dataclass

from vantage.access.directory import Directory, PartnerAccess
from vantage.access.ks import Session
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.kaltura.params import Tree
from vantage.player.beacon_queue import BeaconQueue
from vantage.player.enrich import Enricher


@dataclass(frozen=True)
class CallContext:
    ks: str | None
    """The KS as sent (to build URLs that call back with it); None without a verified KS."""
    session: Session | None
    """The verified KS; None for actions called without one (or that ignore it)."""
    partner: PartnerAccess | None
    """The partner the call runs as: the KS's, or for KS-less calls the ``partnerId`` sent."""
    partner_ids: frozenset[int]
    """Partners whose data the caller may read: its own, plus its children for multi-account
    actions; empty without a KS. Every query must be limited to these."""
    permissions: frozenset[str]
    """Permission names of the session's role (``*`` grants all)."""
    client_ip: str
    user_agent: str
    base_url: str
    """Where the request came to (``http://host:8000``), for URLs that call back."""
    params: Tree
    """The call's parameters as sent, for actions whose fields are open-ended (player beacons)."""
    now: int
    """The request's time in unix seconds (a KS ``reftime`` privilege replaces it), which is
    also what relative times in the parameters were resolved against."""
    store: Store
    settings: Settings
    directory: Directory
    enricher: Enricher
    """Locates and describes the client of player beacons."""
    beacons: BeaconQueue
    """Stores player beacons, many requests' together."""

    @property
    def partner_id(self) -> int | None:
        return self.partner.id if self.partner is not None else None
