#!/usr/bin/env python3
"""Independent OSC receiver, written from docs/mqtt-osc.md ("Oversize packets: fragments") and the OSC 1.0
specification alone, not from the C# code.

Binds 127.0.0.1 on a free UDP port, prints "port N", then receives packets until --count whole packets are decoded.
A message at <prefix>/fragment with type tags ",iiiib" (message id, index, count, total bytes, piece) is a fragment:
the pieces of one id are concatenated in index order into the original packet, which must be total bytes long.
Each whole packet is printed as one JSON line: {"fragments": k, "packet": ...}, where a message is
{"address", "tags", "args"} (blobs decoded as big-endian float32, as every friture blob is) and a bundle is
{"time_tag", "elements"}.
"""
import argparse
import json
import socket
import struct
import sys


def read_string(data: bytes, offset: int):
    end = data.index(b"\0", offset)
    text = data[offset:end].decode("utf-8")
    return text, (end + 4) & ~3  # NUL-terminated, padded to a multiple of 4


def read_message(data: bytes) -> dict:
    address, offset = read_string(data, 0)
    tags, offset = read_string(data, offset)
    args = []
    for tag in tags[1:]:
        if tag == "i":
            args.append(struct.unpack_from(">i", data, offset)[0]); offset += 4
        elif tag == "f":
            args.append(struct.unpack_from(">f", data, offset)[0]); offset += 4
        elif tag == "s":
            text, offset = read_string(data, offset); args.append(text)
        elif tag == "b":
            (size,) = struct.unpack_from(">i", data, offset)
            blob = data[offset + 4:offset + 4 + size]
            args.append(blob)
            offset += 4 + ((size + 3) & ~3)
        else:
            raise ValueError(f"type tag {tag} not expected")
    return {"address": address, "tags": tags, "args": args}


def read_packet(data: bytes) -> dict:
    if data[:8] == b"#bundle\0":
        (time_tag,) = struct.unpack_from(">Q", data, 8)
        elements, offset = [], 16
        while offset < len(data):
            (size,) = struct.unpack_from(">i", data, offset)
            elements.append(read_packet(data[offset + 4:offset + 4 + size]))
            offset += 4 + size
        return {"time_tag": time_tag, "elements": elements}
    return read_message(data)


def printable(packet: dict) -> dict:
    if "elements" in packet:
        return {"time_tag": packet["time_tag"], "elements": [printable(e) for e in packet["elements"]]}
    args = [list(struct.unpack(f">{len(a) // 4}f", a)) if isinstance(a, bytes) else a for a in packet["args"]]
    return {"address": packet["address"], "tags": packet["tags"], "args": args}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024 * 1024)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(args.timeout)
    print(f"port {sock.getsockname()[1]}", flush=True)
    partial = {}
    done = 0
    while done < args.count:
        data, sender = sock.recvfrom(65535)
        pieces = 1
        if data[:1] == b"/":
            message = read_message(data)
            if message["address"].endswith("/fragment") and message["tags"] == ",iiiib":
                message_id, index, count, total, piece = message["args"]
                entry = partial.setdefault((sender, message_id), {})
                entry[index] = piece
                if len(entry) < count:
                    continue
                del partial[(sender, message_id)]
                data = b"".join(entry[i] for i in range(count))
                if len(data) != total:
                    raise ValueError(f"fragments of {message_id}: {len(data)} bytes, {total} announced")
                pieces = count
        print(json.dumps({"fragments": pieces, "packet": printable(read_packet(data))}), flush=True)
        done += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
