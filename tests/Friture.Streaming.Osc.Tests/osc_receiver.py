#!/usr/bin/env python3
"""Independent OSC receiver, written from docs/mqtt-osc.md ("Oversize packets: fragments") and the OSC 1.0
specification alone, not from the C# code.

Binds 127.0.0.1 on a free UDP port, prints "port N", then receives packets until --count whole packets are decoded.
A message at <prefix>/fragment with type tags ",iiiib" (message id, index, count, total bytes, piece) is a fragment:
the pieces of one id are concatenated in index order into the original packet, which must be total bytes long.
Each whole packet is printed as one JSON line: {"fragments": k, "packet": ...}, where a message is
{"address", "tags", "args"} (blobs decoded as big-endian float32, as every friture blob is) and a bundle is
{"time_tag", "elements"}.

With --idle S instead of --count, it receives until S seconds pass without a datagram (the first wait is --timeout)
and prints one summary line instead. Every data message is checked against the table "Addresses and type tags" of
docs/mqtt-osc.md followed by the metadata arguments "iii" ("Metadata arguments": sequence_number low 32 bits,
stream_time whole seconds, nanoseconds 0..999999999); per data type it reports the messages, the first and last
sequence number, the numbers missing in between, duplicates, layout errors and whether stream_time never went back.
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


# docs/mqtt-osc.md, "Addresses and type tags": address suffix -> (data type, check of the data type tags and arguments).
def _counted(head, repeated):
    # head's first argument is the count n of the repeated group that follows
    return lambda tags, args: tags == head + repeated * args[0]


LAYOUT = {
    "pitch": ("pitch_tracker", lambda t, a: t == "ffs"),
    "levels": ("levels", _counted("i", "ff")),
    "octave": ("octave_spectrum", lambda t, a: t.startswith("if") and set(t[2:]) <= {"f"}),
    "fft": ("fft_spectrum", lambda t, a: t == "iffb" or _counted("iff", "f")(t, a)),
    "spectrogram": ("spectrogram", lambda t, a: t == "iffb" or _counted("iff", "f")(t, a)),
    "delay": ("delay_estimator", lambda t, a: t == "fffi"),
    "scope": ("scope", lambda t, a: t == "iib" and len(a[2]) == 4 * a[0] * a[1]),
    "loudness": ("loudness", lambda t, a: t == "f" * 9),
}


class Summary:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.types = {}
        self.other = 0

    def add(self, packet: dict) -> None:
        if "elements" in packet:
            for element in packet["elements"]:
                self.add(element)
            return
        address, tags, args = packet["address"], packet["tags"][1:], packet["args"]
        name = address[len(self.prefix) + 1:] if address.startswith(self.prefix + "/") else None
        if name not in LAYOUT:
            self.other += 1  # <prefix>/message, /hello, custom types
            return
        data_type, check = LAYOUT[name]
        entry = self.types.setdefault(data_type, {"sequences": [], "layout_errors": 0, "time_went_back": 0, "last_time": -1.0})
        if not tags.endswith("iii") or not check(tags[:-3], args[:-3]):
            entry["layout_errors"] += 1
            return
        sequence, seconds, nanoseconds = args[-3:]
        if not 0 <= nanoseconds <= 999_999_999 or seconds < 0:
            entry["layout_errors"] += 1
        stream_time = seconds + nanoseconds / 1e9
        if stream_time < entry["last_time"]:
            entry["time_went_back"] += 1
        entry["last_time"] = stream_time
        entry["sequences"].append(sequence & 0xFFFFFFFF)

    def report(self, incomplete: int) -> dict:
        types = {}
        for data_type, entry in self.types.items():
            sequences = entry["sequences"]
            seen = set(sequences)
            first, last = (min(seen), max(seen)) if seen else (None, None)
            missing = [n for n in range(first, last + 1) if n not in seen] if seen else []
            types[data_type] = {
                "messages": len(sequences), "first": first, "last": last, "missing": missing[:100],
                "duplicates": len(sequences) - len(seen), "out_of_order": sum(1 for a, b in zip(sequences, sequences[1:]) if b < a),
                "layout_errors": entry["layout_errors"], "time_went_back": entry["time_went_back"],
            }
        return {"types": types, "other": self.other, "incomplete": incomplete}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int)
    parser.add_argument("--idle", type=float)
    parser.add_argument("--prefix", default="/friture")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    if (args.count is None) == (args.idle is None):
        parser.error("give --count or --idle")
    summary = Summary(args.prefix) if args.idle is not None else None
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024 * 1024)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(args.timeout)
    print(f"port {sock.getsockname()[1]}", flush=True)
    partial = {}
    done = 0
    while summary is not None or done < args.count:
        try:
            data, sender = sock.recvfrom(65535)
        except socket.timeout:
            if summary is None:
                raise
            break
        if summary is not None:
            sock.settimeout(args.idle)
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
        if summary is not None:
            summary.add(read_packet(data))
        else:
            print(json.dumps({"fragments": pieces, "packet": printable(read_packet(data))}), flush=True)
        done += 1
    if summary is not None:
        print(json.dumps(summary.report(len(partial))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
