"""A minimal CBOR codec (RFC 8949): the definite-length subset Pagefind's index files use.

Unsigned and negative integers, byte and text strings, arrays, maps and the simple
values false, true and null. Integers are written in their shortest form, as
Pagefind writes them, so `dumps(loads(data)) == data` for the files it makes;
anything else (indefinite lengths, tags, floats) raises `CBORError`.
"""
from __future__ import annotations

from typing import Any

_SIMPLE = {20: False, 21: True, 22: None}
_ARGUMENT_SIZES = {24: 1, 25: 2, 26: 4, 27: 8}


class CBORError(ValueError):
    """Bytes this codec does not read, or a value it does not write."""


def loads(data: bytes) -> Any:
    """The value the bytes encode; the whole of them must be one value."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise CBORError(f"{len(data) - end} bytes after the value")
    return value


def dumps(value: Any) -> bytes:
    """The value encoded, each length and integer in its shortest form."""
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _decode(data: bytes, position: int) -> tuple[Any, int]:
    if position >= len(data):
        raise CBORError("the data ends inside a value")
    major, info = data[position] >> 5, data[position] & 31
    argument, position = _argument(data, position + 1, info)
    if major == 0:
        return argument, position
    if major == 1:
        return -1 - argument, position
    if major in (2, 3):
        end = position + argument
        if end > len(data):
            raise CBORError("the data ends inside a string")
        raw = data[position:end]
        return (raw if major == 2 else raw.decode("utf-8")), end
    if major == 4:
        items = []
        for _ in range(argument):
            item, position = _decode(data, position)
            items.append(item)
        return items, position
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, position = _decode(data, position)
            mapping[key], position = _decode(data, position)
        return mapping, position
    if major == 7 and info in _SIMPLE:
        return _SIMPLE[info], position
    raise CBORError(f"unsupported item (major type {major}, info {info})")


def _argument(data: bytes, position: int, info: int) -> tuple[int, int]:
    if info < 24:
        return info, position
    size = _ARGUMENT_SIZES.get(info)
    if size is None or position + size > len(data):
        raise CBORError(f"unsupported or truncated length (info {info})")
    return int.from_bytes(data[position:position + size], "big"), position + size


def _encode(value: Any, out: bytearray) -> None:
    if value is None or isinstance(value, bool):
        out.append(0xE0 | {False: 20, True: 21, None: 22}[value])
    elif isinstance(value, int):
        _head(0, value, out) if value >= 0 else _head(1, -1 - value, out)
    elif isinstance(value, bytes):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        _head(3, len(raw), out)
        out += raw
    elif isinstance(value, list):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    else:
        raise CBORError(f"cannot encode {type(value).__name__}")


def _head(major: int, argument: int, out: bytearray) -> None:
    if argument < 24:
        out.append(major << 5 | argument)
        return
    for info, size in _ARGUMENT_SIZES.items():
        if argument < 1 << (8 * size):
            out.append(major << 5 | info)
            out += argument.to_bytes(size, "big")
            return
    raise CBORError(f"integer too large: {argument}")

