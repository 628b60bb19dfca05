#!/usr/bin/env python3
"""Independent decoder of the binary wire format, written from docs/wire-format.md alone (not from the C# code).

Usage: decode_frame.py FRAME_FILE...   prints one JSON envelope per file, one per line.
A frame: 4 bytes b"FSB1"; uint32 little-endian H; H bytes of UTF-8 JSON header (padded with spaces to a multiple
of 4); then, for each [name, count] or [name, count, rows] of header["arrays"] in order, count little-endian float32
values for data[name]: a flat list, or with rows, rows lists of count/rows values each (row after row).
"""
import json
import struct
import sys

import numpy as np


def decode(frame: bytes) -> dict:
    if len(frame) < 8 or frame[:4] != b"FSB1":
        raise ValueError("not a binary frame: it must start with FSB1")
    (header_length,) = struct.unpack_from("<I", frame, 4)
    if header_length % 4 != 0 or 8 + header_length > len(frame):
        raise ValueError(f"bad header length {header_length}")
    header = json.loads(frame[8:8 + header_length].decode("utf-8"))
    offset = 8 + header_length
    data = header["data"]
    for entry in header.pop("arrays", []):
        name, count = entry[0], entry[1]
        values = np.frombuffer(frame, dtype="<f4", count=count, offset=offset)
        offset += 4 * count
        if len(entry) == 3:
            rows = entry[2]
            if rows <= 0 or count % rows != 0:
                raise ValueError(f"{name}: {count} values are not {rows} equal rows")
            data[name] = [[float(v) for v in row] for row in values.reshape(rows, count // rows)]
        else:
            data[name] = [float(v) for v in values]
    if offset != len(frame):
        raise ValueError(f"{len(frame) - offset} bytes after the last array")
    return header


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            print(json.dumps(decode(f.read())))
