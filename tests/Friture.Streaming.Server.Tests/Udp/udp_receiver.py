#!/usr/bin/env python3
"""Independent UDP receiver, written from docs/wire-format.md ("UDP fragments", "Binary format") alone.

Binds 127.0.0.1 on a free port, prints "port N" on the first line, then receives datagrams:
  * a datagram starting with b"FSF1" is a fragment: uint32 LE message id, uint16 LE index, uint16 LE count,
    uint32 LE total length, then the piece; the pieces of one (sender, id) are concatenated in index order;
  * any other datagram is a whole message.
A message starting with b"FSB1" is a binary frame (decoded by decode_frame.py), anything else JSON text.

  udp_receiver.py --count N [--timeout S]   prints one line per message: {"fragments": k, "envelope": {...}}
  udp_receiver.py --idle S [--timeout S]    stops after S seconds without a datagram (first wait up to --timeout) and
                                            prints one summary line: per data type, messages, first and last
                                            sequence_number and the sequence numbers missing in between
"""
import argparse
import json
import socket
import struct
import sys
import time

from decode_frame import decode


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int)
    parser.add_argument("--idle", type=float)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024 * 1024)
    sock.bind(("127.0.0.1", 0))
    print(f"port {sock.getsockname()[1]}", flush=True)

    partial = {}   # (sender, id) -> [count, total, {index: piece}]
    received = 0
    fragments_seen = 0
    per_type = {}  # data_type -> list of sequence numbers
    deadline = time.monotonic() + args.timeout
    sock.settimeout(args.timeout)
    while args.count is None or received < args.count:
        try:
            datagram, sender = sock.recvfrom(65535)
        except socket.timeout:
            break
        if args.idle is not None:
            sock.settimeout(args.idle)
        elif time.monotonic() > deadline:
            break
        pieces = 1
        if datagram[:4] == b"FSF1":
            message_id, index, count, total = struct.unpack_from("<IHHI", datagram, 4)
            entry = partial.setdefault((sender, message_id), [count, total, {}])
            entry[2][index] = datagram[16:]
            fragments_seen += 1
            if len(entry[2]) < count:
                continue
            del partial[(sender, message_id)]
            message = b"".join(entry[2][i] for i in range(count))
            if len(message) != total:
                raise ValueError(f"message {message_id}: {len(message)} bytes reassembled, {total} announced")
            pieces = count
        else:
            message = datagram
        envelope = decode(message) if message[:4] == b"FSB1" else json.loads(message.decode("utf-8"))
        received += 1
        if args.idle is not None:
            metadata = envelope["metadata"]
            per_type.setdefault(metadata["data_type"], []).append(metadata["sequence_number"])
        else:
            print(json.dumps({"fragments": pieces, "envelope": envelope}), flush=True)

    if args.idle is not None:
        summary = {}
        for data_type, numbers in per_type.items():
            seen = set(numbers)
            missing = [n for n in range(min(numbers), max(numbers) + 1) if n not in seen]
            summary[data_type] = {"messages": len(numbers), "first": min(numbers), "last": max(numbers),
                                  "missing": missing, "duplicates": len(numbers) - len(seen)}
        print(json.dumps({"types": summary, "fragments": fragments_seen, "incomplete": len(partial)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
