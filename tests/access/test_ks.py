"""KS v1 and v2: ours and the official client's, accepted with the right secret only."""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from KalturaClient import KalturaClient

from vantage.access import ks

SECRET = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"


@pytest.mark.parametrize("make", [KalturaClient.generateSession, KalturaClient.generateSessionV2])
def test_the_official_clients_ks_is_accepted_with_the_right_secret_only(make) -> None:  # type: ignore[no-untyped-def]
    token = make(SECRET, "teacher@example.edu", 2, 101, 3600, "virtualeventid:7,setrole:9").decode()
    session = ks.verify(token, [OTHER, SECRET])  # any of the partner's admin secrets
    assert (session.partner_id, session.type, session.user_id) == (101, 2, "teacher@example.edu")
    assert session.privilege("virtualeventid") == ["7"] and session.privilege("setrole") == ["9"]
    assert session.valid_until == pytest.approx(time.time() + 3600, abs=5)
    assert ks.partner_of(token) == 101
    with pytest.raises(ks.KSError) as info:
        ks.verify(token, [OTHER])
    assert info.value.reason == "INVALID_STR"


@pytest.mark.parametrize("version", [1, 2])
def test_expired_ks_is_refused(version: int) -> None:
    token = ks.generate(SECRET, 101, version=version, expiry=10, now=time.time() - 60)
    with pytest.raises(ks.KSError) as info:
        ks.verify(token, [SECRET])
    assert info.value.reason == "EXPIRED"


@pytest.mark.parametrize("garbage", ["", "not a ks!", "djJ8MTAxfA", "YWJj", "djJ8eHh4fGFiYw=="])
def test_garbage_is_an_invalid_string(garbage: str) -> None:
    with pytest.raises(ks.KSError) as info:
        ks.verify(garbage, [SECRET])
    assert info.value.reason == "INVALID_STR"


def test_v2_without_padding_and_star_privilege() -> None:
    token = ks.generate(SECRET, 12, version=2, type=ks.ADMIN, privileges="*,download:abc")
    session = ks.verify(token.rstrip("="), [SECRET])
    assert session.privileges == "*,download:abc" and session.privilege("*") == []


def test_privilege_lists() -> None:
    assert ks.parse_privileges(" sview:0_a/0_b , edit:X,edit:Y,list ,") == {
        "sview": ["0_a", "0_b"],
        "edit": ["X", "Y"],
        "list": [],
    }


users = st.text(
    st.characters(codec="utf-8", exclude_characters=";|", exclude_categories=["Cs"]), max_size=30
)
privilege = st.tuples(
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
    st.text(
        st.characters(codec="utf-8", exclude_characters=",;/", exclude_categories=["Cs"]),
        max_size=12,
    ),
)


@given(
    version=st.sampled_from([1, 2]),
    partner=st.integers(1, 2**31),
    type_=st.sampled_from([0, 2]),
    user=users,
    privileges=st.lists(privilege, max_size=4, unique_by=lambda p: p[0]),
)
def test_round_trip(
    version: int, partner: int, type_: int, user: str, privileges: list[tuple[str, str]]
) -> None:
    text = ",".join(f"{n}:{v}" if v else n for n, v in privileges)
    token = ks.generate(SECRET, partner, version=version, type=type_, user_id=user, privileges=text)
    session = ks.verify(token, [SECRET])
    assert (session.partner_id, session.type, session.user_id) == (partner, type_, user)
    assert session.parsed == ks.parse_privileges(text)


FIELD = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20) | st.sampled_from(
    ["x;", "x;setrole:1", "teacher;;", ";"]
)


@settings(max_examples=200, deadline=None)
@given(user_id=FIELD, privileges=FIELD)
def test_a_v1_ks_carries_its_fields_exactly_or_is_not_made(user_id: str, privileges: str) -> None:
    if ";" in user_id + privileges:
        with pytest.raises(ValueError, match="cannot carry ';'"):
            ks.generate(SECRET, 101, version=1, user_id=user_id, privileges=privileges)
        return
    token = ks.generate(SECRET, 101, version=1, user_id=user_id, privileges=privileges)
    session = ks.verify(token, [SECRET])
    assert (session.user_id, session.privileges) == (user_id, privileges)


@pytest.mark.parametrize(
    ("user_id", "privileges", "field"),
    [("x;", "actionslimit:1", "userId"), ("x", "a:1;b", "privileges"), ("x", "", None)],
)
def test_the_field_a_v1_ks_cannot_carry(user_id: str, privileges: str, field: str | None) -> None:
    assert ks.unencodable_field(1, user_id, privileges) == field
    assert ks.unencodable_field(2, user_id, privileges) is None


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_partner_id_of_any_length_is_read_or_refused(digits: int) -> None:
    for raw in (b"v2|" + b"9" * digits + b"|" + b"x" * 32, b"a" * 40 + b"|" + b"9" * digits + b";"):
        token = base64.urlsafe_b64encode(raw).decode()
        try:
            assert ks.partner_of(token) == int("9" * digits)
        except ks.KSError as exc:
            assert exc.reason == "INVALID_STR"
