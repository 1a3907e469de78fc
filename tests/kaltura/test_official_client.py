"""The official Kaltura Python client against a real Vantage server."""

from __future__ import annotations

import base64
import time

import pytest
from KalturaClient import KalturaClient, KalturaConfiguration
from KalturaClient.exceptions import KalturaException
from KalturaClient.Plugins.Core import KalturaSessionInfo, KalturaSessionType

from tests.kaltura.conftest import Live


def client(live: Live, ks: str | None = None) -> KalturaClient:
    made = KalturaClient(KalturaConfiguration(serviceUrl=live.url))
    if ks is not None:
        made.setKs(ks)
    return made


def failure(call: object, *args: object) -> KalturaException:
    with pytest.raises(KalturaException) as info:
        call(*args)  # type: ignore[operator]
    return info.value


def test_session_start_with_admin_and_user_secrets(live: Live) -> None:
    main = live.main
    admin = client(live).session.start(
        main.admin_secret, "teacher", KalturaSessionType.ADMIN, main.id
    )
    info = client(live, admin).session.get()
    assert isinstance(info, KalturaSessionInfo) and admin.startswith("djJ8")  # v2: "v2|"
    assert (info.partnerId, info.userId, info.ks) == (main.id, "teacher", admin)
    assert info.sessionType.getValue() == KalturaSessionType.ADMIN
    assert abs(info.expiry - (time.time() + 86_400)) < 60
    user = client(live).session.start(main.user_secret, "pupil", KalturaSessionType.USER, main.id)
    assert client(live, user).session.get().sessionType.getValue() == KalturaSessionType.USER


@pytest.mark.parametrize("secret", ["user", "wrong"])
def test_session_start_refuses_the_wrong_secret(live: Live, secret: str) -> None:
    text = live.main.user_secret if secret == "user" else "x" * 32  # user secret: no admin KS
    error = failure(client(live).session.start, text, "", KalturaSessionType.ADMIN, live.main.id)
    assert error.code == "START_SESSION_ERROR"
    assert error.message == f"Error while starting session for partner [{live.main.id}]"


def test_v1_partners_get_v1_sessions_capped_at_their_longest_expiry(live: Live) -> None:
    v1 = live.v1
    ks = client(live).session.start(v1.admin_secret, "", KalturaSessionType.ADMIN, v1.id, 86_400)
    signature, _, info = base64.b64decode(ks).decode().partition("|")
    assert len(signature) == 40 and info.startswith(f"{v1.id};{v1.id};")
    assert client(live, ks).session.get().expiry <= time.time() + 3600


@pytest.mark.parametrize("make", [KalturaClient.generateSession, KalturaClient.generateSessionV2])
def test_client_made_sessions_need_one_of_the_partners_admin_secrets(
    live: Live, make: object
) -> None:
    for account in (live.main, live.v1):  # v1 signs with its second admin secret here
        ks = make(account.admin_secret, "u", KalturaSessionType.ADMIN, account.id).decode()  # type: ignore[operator]
        assert client(live, ks).session.get().partnerId == account.id
    forged = make("f" * 32, "u", KalturaSessionType.ADMIN, live.main.id).decode()  # type: ignore[operator]
    error = failure(client(live, forged).session.get)
    assert error.code == "INVALID_KS"
    assert error.message == f'Invalid KS "{forged}", Error "-1,INVALID_STR"'


def test_multirequest_starts_a_session_and_uses_it(live: Live) -> None:
    main, kaltura = live.main, client(live)
    kaltura.setPartnerId(main.id)
    kaltura.startMultiRequest()
    started = kaltura.session.start(main.admin_secret, "boss", KalturaSessionType.ADMIN, main.id)
    kaltura.setKs(started)  # the client writes "{1:result}" for its request "0"
    kaltura.session.get()
    kaltura.session.start("x" * 32, "", KalturaSessionType.ADMIN, main.id)
    ks, info, refused = kaltura.doMultiRequest()
    assert isinstance(info, KalturaSessionInfo) and info.ks == ks and info.userId == "boss"
    assert isinstance(refused, KalturaException) and refused.code == "START_SESSION_ERROR"
    # A multirequest with a failed item leaves some client versions in multirequest mode:
    # a fresh client for the next call.
    assert client(live, ks).session.get().userId == "boss"
