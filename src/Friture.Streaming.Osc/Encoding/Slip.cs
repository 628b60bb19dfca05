namespace Friture.Streaming.Osc.Encoding;

/// <summary>SLIP framing (RFC 1055) for OSC over TCP, as OSC 1.1 specifies: END before and after each packet, END and ESC escaped.</summary>
internal static class Slip
{
    public const byte End = 0xC0;
    public const byte Esc = 0xDB;
    public const byte EscEnd = 0xDC;
    public const byte EscEsc = 0xDD;

    public static byte[] Encode(ReadOnlySpan<byte> packet)
    {
        var length = 2;
        foreach (var b in packet)
        {
            length += b is End or Esc ? 2 : 1;
        }

        var frame = new byte[length];
        var position = 0;
        frame[position++] = End;
        foreach (var b in packet)
        {
            switch (b)
            {
                case End:
                    frame[position++] = Esc;
                    frame[position++] = EscEnd;
                    break;
                case Esc:
                    frame[position++] = Esc;
                    frame[position++] = EscEsc;
                    break;
                default:
                    frame[position++] = b;
                    break;
            }
        }

        frame[position] = End;
        return frame;
    }

    /// <summary>Splits a SLIP byte stream into packets (empty frames between consecutive ENDs are skipped).</summary>
    public static List<byte[]> Decode(ReadOnlySpan<byte> stream)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        for (var i = 0; i < stream.Length; i++)
        {
            var b = stream[i];
            if (b == End)
            {
                if (current.Count > 0)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }
            else if (b == Esc)
            {
                i++;
                if (i >= stream.Length)
                {
                    throw new FormatException("A SLIP stream ends after ESC.");
                }

                current.Add(stream[i] switch
                {
                    EscEnd => End,
                    EscEsc => Esc,
                    _ => throw new FormatException($"ESC followed by 0x{stream[i]:X2} is not a SLIP escape."),
                });
            }
            else
            {
                current.Add(b);
            }
        }

        return packets;
    }
}
