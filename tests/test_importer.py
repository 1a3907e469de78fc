from __future__ import annotations

from pathlib import Path

import pytest

from vantage.entities.model import KINDS, Entry, User
from vantage.importer import ImportError_, read


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_with_lists_empty_cells_and_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entries.csv",
        "partnerId,id,name,kind,categoryIds,tags,duration,parentEntryId,rootEntryId\n"
        '101,1_a,Main room,room,"3,4","bio, lab",,,\n'
        "101,1_b,Group 1,room,,,60,1_a,\n"
        "101,1_r,Recording,video,,,600,,1_a\n",
    )
    [chunk] = list(read(path, KINDS["entries"]))
    a, b, r = chunk
    assert isinstance(r, Entry) and (r.root_entry_id, a.root_entry_id) == ("1_a", None)
    assert isinstance(a, Entry) and isinstance(b, Entry)
    assert (a.category_ids, a.tags, a.duration, a.parent_entry_id) == (
        [3, 4],
        ["bio", "lab"],
        None,
        None,
    )
    assert (b.category_ids, b.duration, b.parent_entry_id) == ([], 60, "1_a")


def test_json_array_object_and_ndjson(tmp_path: Path) -> None:
    users = KINDS["users"]
    one = write(tmp_path, "u.json", '{"partnerId": 101, "id": "u1"}')
    many = write(
        tmp_path, "v.json", '[{"partnerId": 101, "id": "u1"}, {"partnerId": 101, "id": "u2"}]'
    )
    lines = write(
        tmp_path, "w.ndjson", '{"partnerId": 101, "id": "u1"}\n{"partnerId": 101, "id": "u2"}\n'
    )
    assert [len(c) for c in read(one, users)] == [1]
    assert [u.id for c in read(many, users) for u in c] == ["u1", "u2"]  # type: ignore[attr-defined]
    assert all(isinstance(u, User) for c in read(lines, users) for u in c)


def test_partner_roles_as_json_text_in_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "partners.csv",
        "id,name,adminSecrets,userSecret,roles\n"
        '7,Seven,aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb,"[{""id"":1,""name"":""Admin"",""permissions"":[""ANALYTICS_BASE""]}]"\n',
    )
    [[partner]] = list(read(path, KINDS["partners"]))
    assert partner.roles[0].permissions == ["ANALYTICS_BASE"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("users.csv", "partnerId,id,shoeSize\n101,u,42\n", "unknown column(s) for users: shoeSize"),
        ("users.csv", "partnerId,id\nabc,u\n", "line 2"),
        ("users.json", '[{"partnerId": 101}]', "1: Object missing required field `id`"),
        ("users.json", "[{", "not valid JSON"),
        ("users.xml", "<x/>", "unknown file type"),
    ],
)
def test_errors_name_the_file_record_and_field(
    tmp_path: Path, name: str, text: str, fragment: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(ImportError_) as info:
        list(read(path, KINDS["users"]))
    assert str(path) in str(info.value) and fragment in str(info.value)
