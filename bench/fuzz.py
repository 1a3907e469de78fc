"""Fuzz bench: hostile requests against a running server, counted by HTTP status and error code.

    .venv/bin/python bench/fuzz.py [--requests 100000] [--concurrency 8] [--seconds 900]
    .venv/bin/python bench/fuzz.py --url http://127.0.0.1:8000 --partner-id 101 --secret …

Without ``--url`` it serves a fresh temporary store with one partner (default settings). It
sends a fixed number of generated requests, stopping early when the time bound is reached:
every Kaltura action with random and hostile values for its declared parameters (as PHP
brackets, ``:`` paths, JSON bodies or path pairs), multirequests, the player beacon
(analytics.trackEvent), the room-event collector (POST and GET /api/v1/events), the admin API,
and malformed requests (deep nesting, invalid UTF-8, lone surrogates, huge numbers, random
bytes). Requests go over raw sockets, so bytes no HTTP library would send get through.

The goal is no 5xx answer and no unexpected internal error. Kaltura itself answers
INTERNAL_SERVERL_ERROR for a few well-formed report calls it cannot run (getGraphs of a report
without graphs, a page beyond 12,000 rows, getBaseTotal of a report other than 17); those are
counted apart. An unexpected error is one the server logs with a traceback (counted when the
bench started the server).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import re
import sys
import textwrap
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import Server, machine_facts, render_table, running_server, temp_dir
from vantage.analytics.report_types import REPORTS
from vantage.kaltura.schema import BOOL, FLOAT, INT, TIME, ArrayOf, EnumType, ObjectClass
from vantage.server import kaltura_registry

Request = tuple[str, str, bytes, bytes]  # kind, method, target (path and query), body
HOSTILE_NUMBERS = (
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "1" * 400,
    "99999999999999",
    "-99999999999999",
    "1e20",
    "1e400",
    "-1e400",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "0x10",
    "1_000",
    " 7 ",
    "",
    "-0",
    "1.5",
    "2.5e-400",
)
HOSTILE_TEXT = (
    "",
    "%",
    "_",
    "'",
    '"',
    "\\",
    "Array",
    "{1:result}",
    "{0:result:objects:0:id}",
    "a" * 300,
    "x" * 5000,
    "\x00\x01\x7f",
    "\u202e\ufeff",
    "😀",
    "=1+1",
    "<xml>&amp;",
    "../../etc/passwd",
    "1;2;3",
    "null",
    "18446744073709551616",
    "1,-9223372036854775809",
)
# Report calls Kaltura itself answers with INTERNAL_SERVERL_ERROR when they cannot run.
INTERNAL = "INTERNAL_SERVERL_ERROR"
KALTURA_INTERNAL = frozenset({"getTable", "getTotal", "getGraphs", "getBaseTotal"})
ROOM, MEDIA = "1_room", "1_abc"  # entries the bench creates, so events and beacons are stored
# Values that make a report run, for parameters (and properties) of these names.
PLAUSIBLE: dict[str, tuple[str, ...]] = {
    "reportType": tuple(str(t) for t in REPORTS),
    "interval": ("days", "hours", "months", "years", "ten_seconds", "tenSeconds", "minutes"),
    "order": ("-count_plays", "+count_plays", "count_loads", "-date_id", ""),
    "dimension": ("count_plays", "sum_time_viewed", "content_dropoff"),
    "timeZoneOffset": ("0", "-180", "300", "-840", "720"),
    "pageSize": ("10", "500", "12000", "0"),
    "pageIndex": ("1", "2", "400"),
    "headers": ("Plays,Loads;Entry,Name,Plays", ";", ""),
    "delimiter": (",", "|", ";"),
    "objectIds": (MEDIA, f"{MEDIA},1_def", ROOM, ""),
}
ROOM_EVENTS: dict[str, dict[str, Any]] = {  # a valid room event of each type, less the common
    "joinSession": {"role": "participant"},
    "leaveSession": {},
    "raiseHand": {},
    "viewPeriod": {
        "viewTime": 7.5,
        **dict.fromkeys(("tabFocused", "soundOn", "micUnmuted", "cameraOn"), True),
        **dict.fromkeys(("fullScreen", "onStage"), False),
    },
}
ROOM_REPORTS = ("6000", "6001", "6002", "4021", "3007", "3009", "3010")
ROOM_PARAMS = (
    *("from_date", "to_date", "from_date_id", "to_date_id", "timezone_offset", "cat_ids"),
    *("entry_ids", "user_ids", "virtual_event_ids", "room_sessions", "x"),
)
ADMIN_KINDS = ("partners", "users", "entries", "categories", "virtual-events", "sessions", "x")
_CODE = re.compile(rb'"code"\s*:\s*"([A-Za-z_]+)"|<code>([A-Za-z_]+)</code>|error- ([A-Z_]+)')


@dataclass
class Tally:
    by_answer: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # kind, status, code
    examples: dict[tuple[str, str, str], str] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)  # requests sent, by kind
    sent: int = 0
    transport_errors: int = 0


class Generator:
    """Requests from one seeded random source: the same seed, the same requests (times apart)."""

    def __init__(self, seed: int, partner_id: int, admin_ks: str, user_ks: str) -> None:
        self.rng = random.Random(seed)
        self.rate = 0.5  # the share of hostile values, chosen per request
        self.partner_id = partner_id
        self.kses = (admin_ks, admin_ks, admin_ks, user_ks, "", "djJ8MTAxfA==", "x" * 2000)
        self.actions = list(kaltura_registry())
        self.kinds: list[tuple[Callable[[], Request], int]] = [
            (self.action, 40),
            (self.multirequest, 8),
            (self.beacon, 12),
            (self.events_get, 8),
            (self.events_post, 8),
            (self.admin, 8),
            (self.malformed, 16),
        ]

    def __iter__(self) -> Iterator[Request]:
        makers, weights = zip(*self.kinds, strict=True)
        while True:
            self.rate = self.rng.choice((0.02, 0.1, 0.5))  # some requests nearly valid
            yield self.rng.choices(makers, weights)[0]()

    # -- values ------------------------------------------------------------------------------

    def number(self) -> str:
        r = self.rng
        return r.choice(HOSTILE_NUMBERS) if self.hostile() else str(r.randint(-5, 40_000))

    def text(self) -> str:
        r = self.rng
        if self.hostile():
            return r.choice(HOSTILE_TEXT)
        return "".join(chr(r.choice((r.randint(32, 126), r.randint(0, 0x2FFF)))) for _ in range(8))

    def hostile(self) -> bool:
        """Whether this value is a hostile one, at the current request's rate."""
        return self.rng.random() < self.rate

    def nested(self, depth: int) -> Any:
        value: Any = self.text()
        for _ in range(depth):
            value = {self.rng.choice("abc0"): value}
        return value

    def value_of(self, declared: Any, name: str = "", depth: int = 0) -> Any:
        r = self.rng
        if self.hostile() and r.random() < 0.2:
            return r.choice((self.nested(r.choice((2, 40, 200))), [self.text()]))
        if name in PLAUSIBLE and not self.hostile():
            return r.choice(PLAUSIBLE[name])
        if isinstance(declared, ArrayOf):
            item = declared.item
            return {str(i): self.value_of(item, name, depth + 1) for i in range(r.randint(0, 3))}
        if isinstance(declared, ObjectClass):
            if depth > 2:
                return {}
            fields = list(declared.all_fields)
            chosen = r.sample(fields, min(len(fields), r.randint(0, 6)))
            built = {f.name: self.value_of(f.type, f.name, depth + 1) for f in chosen}
            if self.hostile() and r.random() < 0.3:
                built["objectType"] = r.choice(("KalturaEndUserReportInputFilter", "Kaltura", "x"))
            return built
        if isinstance(declared, EnumType):
            return self.number() if self.hostile() else r.choice(declared.values)
        if declared is TIME and not self.hostile():
            return str(int(time.time()) + r.randint(-400, 2) * 86_400)
        if declared in (INT, FLOAT, TIME):
            return self.number()
        if declared is BOOL:
            return r.choice(("1", "0", "true", "false", "", "yes", self.text()))
        return self.text()

    def room_params(self) -> list[tuple[str, str]]:
        """Parameters of the room reports (getCsv, getCsvFromStringParams), mostly times."""
        r = self.rng
        pairs = [(r.choice(ROOM_PARAMS), self.number()) for _ in range(r.randint(0, 4))]
        now = int(time.time())
        return [("from_date", str(now - 86_400 * r.randint(0, 400))), ("to_date", str(now))] + pairs

    def tree(self, action: Any) -> dict[str, Any]:
        r = self.rng
        tree: dict[str, Any] = {"service": action.service, "action": action.name}
        for param in action.params:
            if r.random() < 0.85:
                tree[param.name] = self.value_of(param.type, param.name)
        if action.name.startswith("getCsv") and r.random() < 0.7:
            tree["id"] = r.choice(ROOM_REPORTS)
            pairs = self.room_params()
            tree["params"] = (
                ";".join(f"{k}={v}" for k, v in pairs)
                if action.name == "getCsvFromStringParams"
                else {str(i): {"key": k, "value": v} for i, (k, v) in enumerate(pairs)}
            )
        if r.random() < 0.95:
            tree["ks"] = self.kses[0] if not self.hostile() else r.choice(self.kses)
        if r.random() < 0.5:
            tree["format"] = r.choice(("1", "2")) if not self.hostile() else r.choice(("9", "x"))
        if action.name == "start":
            tree["partnerId"] = r.choice((str(self.partner_id), self.number()))
        return tree

    # -- encodings ---------------------------------------------------------------------------

    def encoded(self, kind: str, tree: dict[str, Any], path: str = "/api_v3/index.php") -> Request:
        style = self.rng.choice(("query", "form", "colon", "json", "path"))
        if style == "json":
            body = json.dumps(tree).encode()
            return (kind, "POST json", path.encode(), body)
        pairs = _flatten(tree, colon=style == "colon")
        if style == "path":
            simple = [(k, v) for k, v in pairs if "[" not in k and v]
            quote = functools.partial(urllib.parse.quote, safe="")
            segments = "/".join(f"{quote(k)}/{quote(v)}" for k, v in simple)
            rest = urllib.parse.urlencode([p for p in pairs if p not in simple])
            return (kind, "GET", f"/api_v3/index.php/{segments}?{rest}".encode(), b"")
        encoded = urllib.parse.urlencode(pairs).encode()
        if style == "query":
            return (kind, "GET", path.encode() + b"?" + encoded, b"")
        return (kind, "POST form", path.encode(), encoded)

    # -- request kinds -----------------------------------------------------------------------

    def action(self) -> Request:
        action = self.rng.choice(self.actions)
        return self.encoded(f"{action.service}.{action.name}", self.tree(action))

    def multirequest(self) -> Request:
        r = self.rng
        tree: dict[str, Any] = {"service": "multirequest", "ks": r.choice(self.kses)}
        first, kind = r.choice((0, 1)), "multirequest"
        for i in range(first, first + r.choice((1, 2, 3, 5, 60))):
            action = r.choice(self.actions)
            tree[str(i)] = self.tree(action)
            if r.random() < 0.3:
                tree[str(i)]["ks"] = f"{{{r.randint(0, 3)}:result}}"
            if action.name in KALTURA_INTERNAL:
                kind = f"multirequest.{action.name}"  # may hold Kaltura's own internal error
        return self.encoded(kind, tree)

    def beacon(self) -> Request:
        r = self.rng
        tree: dict[str, Any] = {
            "service": "analytics",
            "action": "trackEvent",
            "eventType": r.choice(("1", "2", "3", "99", "1001", "3001", "13", self.number())),
            "partnerId": r.choice((str(self.partner_id), self.number())),
            "entryId": self.text() if self.hostile() else MEDIA,
            "sessionId": self.text() if self.hostile() else f"s{r.randint(1, 20)}",
            "eventIndex": self.number(),
        }
        for name in (
            "position",
            "bufferTime",
            "averageBitrate",
            "playbackSpeed",
            "uiConfId",
            "soundMode",
            "virtualEventId",
            "kalturaApplication",
            "errorCode",
        ):
            if r.random() < 0.3:
                tree[name] = self.number()
        for name in ("referrer", "userId", "clientVer", "playbackContext", "audioLanguage"):
            if r.random() < 0.3:
                tree[name] = self.text()
        return self.encoded("analytics.trackEvent", tree)

    def events_get(self) -> Request:
        r = self.rng
        names = ("since", "until", "limit", "offset", "entryId", "type", "bogus", "ks")
        query = {n: self.number() if r.random() < 0.7 else self.text() for n in r.sample(names, 3)}
        return ("GET /api/v1/events", "GET", b"/api/v1/events?" + _urlencode(query), b"")

    def events_post(self) -> Request:
        r = self.rng
        now = int(time.time())
        events = []
        for i in range(r.randint(0, 4)):
            kind = r.choice(list(ROOM_EVENTS))
            event: dict[str, Any] = {
                "type": kind,
                "partnerId": self.partner_id,
                "entryId": ROOM,
                "sessionId": f"s{r.randint(1, 5)}",
                "userId": f"u{r.randint(1, 50)}",
                "time": now - r.randint(60, 86_400 * 30),
                "eventId": f"e{r.randint(0, 10**9)}-{i}",
                **ROOM_EVENTS[kind],
            }
            if self.hostile():
                event[r.choice(list(event))] = r.choice(
                    (2**63, -1, 1e20, 1e308, "nan", "x", None, [], {}, self.text())
                )
            events.append(event)
        body = json.dumps(events).encode()
        if r.random() < 0.2:
            body = b"[" * 5000 + b"]" * 5000
        return ("POST /api/v1/events", "POST json", b"/api/v1/events", body)

    def admin(self) -> Request:
        r = self.rng
        kind = r.choice(ADMIN_KINDS)
        target = f"/api/v1/admin/{kind}"
        if r.random() < 0.3:
            target += "/" + urllib.parse.quote(r.choice(("abc", "1", self.number(), self.text())))
        query = {n: self.number() for n in r.sample(("limit", "offset", "partnerId", "x"), 2)}
        if r.random() < 0.5:
            return ("admin " + kind, "GET", target.encode() + b"?" + _urlencode(query), b"")
        record = {
            "id": self.text(),
            "partnerId": r.choice((self.partner_id, 2**70)),
            "name": self.text(),
            "duration": r.choice((90, 90.0, 1e300, -1)),
        }
        return ("admin " + kind, "POST json", target.encode(), json.dumps([record]).encode())

    def malformed(self) -> Request:
        r = self.rng
        depth = r.choice((33, 65, 1000, 5000))
        key = "a" + "[b]" * depth
        session = "service=session&action=get&ks=x"
        choices: list[Request] = [
            ("deep brackets", "GET", f"/api_v3/index.php?{session}&{key}=1".encode(), b""),
            ("deep brackets", "POST form", b"/api_v3/index.php", f"{session}&{key}=1".encode()),
            (
                "deep colons",
                "GET",
                f"/api_v3/index.php?{session}&{':'.join('a' * depth)}=1".encode(),
                b"",
            ),
            (
                "deep json",
                "POST json",
                b"/api_v3/index.php",
                b'{"service":"session","action":"get","a":'
                + b'{"a":' * depth
                + b"1"
                + b"}" * depth
                + b"}",
            ),
            ("deep json", "POST json", b"/api_v3/index.php", b'{"a":' + b"[" * depth + b"}"),
            ("bad utf-8", "GET", b"/api_v3/index.php?service=session&action=get&ks=\xff\xfe", b""),
            ("bad utf-8", "GET", b"/api_v3/service/\xc3\x28/action/get", b""),
            ("bad utf-8", "POST form", b"/api_v3/index.php", b"service=report&action=\xed\xa0\x80"),
            (
                "bad utf-8",
                "POST json",
                b"/api_v3/index.php",
                b'{"service":"session","action":"get","ks":"\\ud800"}',
            ),
            ("bad utf-8", "GET", b"/api/v1/events?entryId=%ff%fe&ks=%ed%a0%80", b""),
            ("bad utf-8", "POST json", b"/api/v1/events", b'[{"type":"\\udc00"}]'),
            (
                "random bytes",
                r.choice(("POST json", "POST form")),
                b"/api_v3/index.php",
                r.randbytes(r.randint(0, 400)),
            ),
            ("random bytes", "POST json", b"/api/v1/events", r.randbytes(r.randint(0, 400))),
            (
                "huge numbers",
                "GET",
                b"/api_v3/index.php?service=report&action=getTable"
                b"&reportType=1&pager[pageIndex]=18446744073709551616&pager[pageSize]="
                + self.number().encode(),
                b"",
            ),
            (
                "huge numbers",
                "GET",
                b"/api_v3/index.php?service=session&action=start&secret=x&partnerId=" + b"9" * 400,
                b"",
            ),
        ]
        return r.choice(choices)


def _flatten(tree: Any, colon: bool, prefix: str = "") -> list[tuple[str, str]]:
    """Form pairs of a tree: ``a[b][0]=`` or ``a:b:0=``; an empty container as ``[-]``/``:-``."""
    if isinstance(tree, list):
        tree = dict(enumerate(tree))
    if not isinstance(tree, dict):
        return [(prefix, str(tree))]
    if not tree:
        return [(f"{prefix}:-" if colon else f"{prefix}[-]", "")]
    pairs: list[tuple[str, str]] = []
    for key, value in tree.items():
        name = str(key) if not prefix else (f"{prefix}:{key}" if colon else f"{prefix}[{key}]")
        pairs += _flatten(value, colon, name)
    return pairs


def _urlencode(query: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(query).encode()


def http_bytes(host: str, method: str, target: bytes, body: bytes, auth: str) -> bytes:
    verb, _, media = method.partition(" ")
    content_type = {"json": "application/json", "form": "application/x-www-form-urlencoded"}
    head = [f"{verb} ".encode() + target + b" HTTP/1.1", f"Host: {host}".encode()]
    if target.startswith(b"/api/v1/"):
        head.append(f"Authorization: {auth}".encode())
    if verb == "POST":
        head += [
            f"Content-Type: {content_type[media]}".encode(),
            f"Content-Length: {len(body)}".encode(),
        ]
    head.append(b"Connection: close")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def classify(kind: str, answer: bytes) -> tuple[str, str]:
    """(HTTP status, error code): INTERNAL_SERVERL_ERROR wherever it is in the answer, else the
    first error code, else ``-``."""
    head = answer.partition(b"\r\n\r\n")[0]
    status = head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/") else "no answer"
    if INTERNAL.encode() in answer:
        kaltura_s = kind.partition(".")[2] in KALTURA_INTERNAL
        return status, INTERNAL + (" (Kaltura's)" if kaltura_s else "")
    found = _CODE.search(answer)
    return status, next((g.decode() for g in found.groups() if g), "-") if found else "-"


async def _send(host: str, port: int, data: bytes, timeout: float) -> bytes:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()


async def fuzz(server: Server, requests: int, concurrency: int, seconds: float, seed: int) -> Tally:
    admin_ks, user_ks = _sessions(server)
    _entries(server, admin_ks)
    generated = iter(Generator(seed, server.partner_id, admin_ks, user_ks))
    tally, deadline = Tally(), time.monotonic() + seconds
    auth = f"KS {admin_ks}"  # not the secret: failed secret guesses block it for a while

    async def worker() -> None:
        while tally.sent < requests and time.monotonic() < deadline:
            tally.sent += 1
            kind, method, target, body = next(generated)
            tally.kinds[kind.partition(".")[0] if kind.startswith("multi") else kind] += 1
            data = http_bytes(f"{server.host}:{server.port}", method, target, body, auth)
            try:
                answer = await _send(server.host, server.port, data, 60)
            except (OSError, TimeoutError):
                tally.transport_errors += 1
                continue
            status, code = classify(kind, answer)
            key = (kind if _fault(status, code) else "", status, code)
            tally.by_answer[key] += 1
            tally.examples.setdefault(key, f"{method} {target[:300]!r} {body[:300]!r}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally


def _sessions(server: Server) -> tuple[str, str]:
    """An admin KS and a user KS for the partner, through session.start."""
    kses = []
    for kind, secret in (("2", server.secret), ("0", _user_secret(server))):
        query = urllib.parse.urlencode(
            {
                "service": "session",
                "action": "start",
                "format": "1",
                "type": kind,
                "secret": secret,
                "partnerId": server.partner_id,
                "userId": "fuzz",
            }
        )
        with urllib.request.urlopen(f"{server.base}/api_v3/index.php?{query}") as answer:
            kses.append(str(json.load(answer)))
    return kses[0], kses[1]


def _entries(server: Server, admin_ks: str) -> None:
    """The room and the video the generated events and beacons name."""
    entries = [
        {"partnerId": server.partner_id, "id": ROOM, "name": "Fuzz room", "kind": "room"},
        {"partnerId": server.partner_id, "id": MEDIA, "name": "Fuzz video", "kind": "video"},
    ]
    request = urllib.request.Request(
        f"{server.base}/api/v1/admin/entries",
        data=json.dumps(entries).encode(),
        headers={"Authorization": f"KS {admin_ks}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request).close()


def _user_secret(server: Server) -> str:
    request = urllib.request.Request(
        f"{server.base}/api/v1/admin/partners", headers={"Authorization": server.auth_header}
    )
    with urllib.request.urlopen(request) as answer:
        partners = json.load(answer)["objects"]
    return str(next(p["userSecret"] for p in partners if p["id"] == server.partner_id))


def _fault(status: str, code: str) -> bool:
    return status.startswith("5") or code == INTERNAL


def report(tally: Tally, elapsed: float, tracebacks: int | None) -> str:
    merged: Counter[tuple[str, str]] = Counter()
    for (_, status, code), n in tally.by_answer.items():
        merged[(status, code)] += n
    table = render_table(
        ("HTTP status", "error code", "answers"),
        [(s, c, f"{n:,}") for (s, c), n in sorted(merged.items())],
    )
    fives = sum(n for (s, _), n in merged.items() if s.startswith("5"))
    internal = sum(n for (_, c), n in merged.items() if c == INTERNAL)
    kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(tally.kinds.items()))
    lines = [
        machine_facts(),
        f"{tally.sent:,} requests in {elapsed:.0f} s ({tally.sent / elapsed:,.0f}/s), "
        f"{tally.transport_errors} transport errors",
        *textwrap.wrap(f"sent: {kinds}", 100),
        "",
        table,
        "",
        f"5xx answers: {fives}",
        f"INTERNAL_SERVERL_ERROR outside Kaltura's own report cases: {internal}",
        "tracebacks in the server log: "
        + ("not known (--url)" if tracebacks is None else str(tracebacks)),
    ]
    for key in sorted(k for k in tally.by_answer if _fault(k[1], k[2])):
        kind, status, code = key
        lines.append(
            f"  {tally.by_answer[key]:>6} × {kind}: {status} {code}: {tally.examples[key]}"
        )
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=100_000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--seconds", type=float, default=900, help="stop after this long anyway")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--url", help="a running server (then --partner-id and --secret)")
    p.add_argument("--partner-id", type=int)
    p.add_argument("--secret", help="an admin secret of that partner")
    return p.parse_args()


def main() -> int:
    args = parse_args()
    if args.url:
        if args.partner_id is None or args.secret is None:
            sys.exit("--url needs --partner-id and --secret")
        parsed = urllib.parse.urlsplit(args.url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
        server = Server(args.url.rstrip("/"), host, port, 0, args.partner_id, args.secret)
        return against(server, None, args)
    with temp_dir("vantage-fuzz-") as workdir:
        os.environ["VANTAGE_REPORTS_DIR"] = str(workdir / "reports")  # CSV exports, thrown away
        with running_server(workdir) as server:
            return against(server, workdir / "server.log", args)


def against(server: Server, log: Path | None, args: argparse.Namespace) -> int:
    """Fuzz, print the table; exit status 1 when a fault was found."""
    started = time.perf_counter()
    tally = asyncio.run(fuzz(server, args.requests, args.concurrency, args.seconds, args.seed))
    elapsed = time.perf_counter() - started
    tracebacks = log.read_text(errors="replace").count("Traceback") if log else None
    print(report(tally, elapsed, tracebacks))
    faults = any(_fault(s, c) for _, s, c in tally.by_answer)
    return 1 if faults or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
