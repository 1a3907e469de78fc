"""Reading entity files for ``vantage import``: JSON (array, object or NDJSON) and CSV.

CSV headers are the API's field names (``partnerId``, ``firstName`` …). An empty cell leaves the
field at its default; list fields (tags, categoryIds, adminSecrets …) are comma-separated; a
field holding objects (a partner's roles) is JSON text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as mi

from vantage.entities.model import Entity, Kind
from vantage.typemap import struct_fields

CHUNK = 10_000


class ImportError_(ValueError):
    """A file, or a record in it, that cannot be imported; says which."""


def read(path: Path, kind: Kind) -> Iterator[list[Entity]]:
    """The file's records in chunks, each validated as ``kind``."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records: Iterator[tuple[int | str, Any]] = _csv_records(path, kind)
    elif suffix in (".json", ".ndjson", ".jsonl"):
        records = _json_records(path)
    else:
        raise ImportError_(f"{path}: unknown file type {suffix!r}; use .json, .ndjson or .csv")
    chunk: list[Entity] = []
    for where, record in records:
        try:
            chunk.append(msgspec.convert(record, kind.struct, strict=False))
        except msgspec.ValidationError as exc:
            raise ImportError_(f"{path}, {where}: {exc}") from None
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _json_records(path: Path) -> Iterator[tuple[int | str, Any]]:
    data = path.read_bytes()
    try:
        if path.suffix.lower() in (".ndjson", ".jsonl"):
            items = msgspec.json.Decoder().decode_lines(data)
        else:
            parsed = msgspec.json.decode(data)
            items = parsed if isinstance(parsed, list) else [parsed]
    except msgspec.DecodeError as exc:
        raise ImportError_(f"{path}: not valid JSON: {exc}") from None
    for i, item in enumerate(items):
        yield i + 1, item


def _csv_records(path: Path, kind: Kind) -> Iterator[tuple[int | str, Any]]:
    by_wire = {f.encode_name: f for f in struct_fields(kind.struct)}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        unknown = [h for h in reader.fieldnames or [] if h not in by_wire]
        if unknown:
            raise ImportError_(f"{path}: unknown column(s) for {kind.name}: {', '.join(unknown)}")
        for line, row in enumerate(reader, start=2):
            record: dict[str, Any] = {}
            for name, cell in row.items():
                if cell is None or cell == "":
                    continue
                record[name] = _cell(by_wire[name].type, cell)
            yield f"line {line}", record


def _cell(info: mi.Type, cell: str) -> Any:
    if isinstance(info, mi.UnionType):
        inner = [t for t in info.types if not isinstance(t, mi.NoneType)]
        info = inner[0] if len(inner) == 1 else info
    if isinstance(info, mi.ListType):
        if isinstance(info.item_type, mi.StructType):
            return msgspec.json.decode(cell)
        return [part.strip() for part in next(csv.reader(io.StringIO(cell))) if part.strip()]
    return cell
