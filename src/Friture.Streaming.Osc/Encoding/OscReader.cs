using System.Buffers.Binary;

namespace Friture.Streaming.Osc.Encoding;

/// <summary>Decodes OSC 1.0 packets (messages with tags i, f, s, b, and nested bundles); strict about sizes and padding.</summary>
internal static class OscReader
{
    public static OscPacket Read(ReadOnlySpan<byte> packet)
    {
        if (packet.Length == 0 || packet.Length % 4 != 0)
        {
            throw new FormatException($"An OSC packet is a non-empty multiple of 4 bytes; got {packet.Length}.");
        }

        if (packet[0] == (byte)'#')
        {
            var position = 0;
            var tag = ReadString(packet, ref position);
            if (tag != "#bundle")
            {
                throw new FormatException($"A packet starting with '#' must be a '#bundle'; got '{tag}'.");
            }

            var timeTag = BinaryPrimitives.ReadUInt64BigEndian(Take(packet, ref position, 8));
            var elements = new List<OscPacket>();
            while (position < packet.Length)
            {
                var size = BinaryPrimitives.ReadInt32BigEndian(Take(packet, ref position, 4));
                if (size <= 0 || size % 4 != 0)
                {
                    throw new FormatException($"A bundle element size must be a positive multiple of 4; got {size}.");
                }

                elements.Add(Read(Take(packet, ref position, size)));
            }

            return new OscBundle(timeTag, elements);
        }

        return ReadMessage(packet);
    }

    private static OscMessage ReadMessage(ReadOnlySpan<byte> packet)
    {
        var position = 0;
        var address = ReadString(packet, ref position);
        if (!address.StartsWith('/'))
        {
            throw new FormatException($"An OSC address starts with '/'; got '{address}'.");
        }

        var tags = ReadString(packet, ref position);
        if (!tags.StartsWith(','))
        {
            throw new FormatException($"An OSC type tag string starts with ','; got '{tags}'.");
        }

        var arguments = new List<object>(tags.Length - 1);
        foreach (var tag in tags.AsSpan(1))
        {
            switch (tag)
            {
                case 'i':
                    arguments.Add(BinaryPrimitives.ReadInt32BigEndian(Take(packet, ref position, 4)));
                    break;
                case 'f':
                    arguments.Add(BinaryPrimitives.ReadSingleBigEndian(Take(packet, ref position, 4)));
                    break;
                case 's':
                    arguments.Add(ReadString(packet, ref position));
                    break;
                case 'b':
                    var size = BinaryPrimitives.ReadInt32BigEndian(Take(packet, ref position, 4));
                    if (size < 0)
                    {
                        throw new FormatException($"A blob size cannot be negative; got {size}.");
                    }

                    var blob = Take(packet, ref position, OscWriter.Padded(size));
                    arguments.Add(blob[..size].ToArray());
                    break;
                default:
                    throw new FormatException($"Unsupported OSC type tag '{tag}'.");
            }
        }

        if (position != packet.Length)
        {
            throw new FormatException($"{packet.Length - position} bytes follow the last argument of '{address}'.");
        }

        return new OscMessage(address, tags[1..], arguments);
    }

    private static string ReadString(ReadOnlySpan<byte> packet, ref int position)
    {
        var rest = packet[position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new FormatException("An OSC-string has no terminating zero.");
        }

        var padded = OscWriter.Padded(end + 1);
        if (padded > rest.Length || rest[end..padded].ContainsAnyExcept((byte)0))
        {
            throw new FormatException("An OSC-string is not zero-padded to a multiple of 4 bytes.");
        }

        position += padded;
        return System.Text.Encoding.UTF8.GetString(rest[..end]);
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> packet, ref int position, int count)
    {
        if (count > packet.Length - position)
        {
            throw new FormatException($"The packet ends {count - (packet.Length - position)} bytes too early.");
        }

        var slice = packet.Slice(position, count);
        position += count;
        return slice;
    }
}
