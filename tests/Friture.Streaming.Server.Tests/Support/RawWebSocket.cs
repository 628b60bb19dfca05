using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Friture.Streaming.Server.Tests.Support;

/// <summary>
/// A WebSocket client written from RFC 6455 on a plain TCP socket, independent of System.Net.WebSockets: it sends the
/// handshake itself, checks <c>Sec-WebSocket-Accept</c>, and reads frames byte by byte, so tests see exactly what the
/// server put on the wire.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    public const int Text = 1;
    public const int Binary = 2;
    public const int Close = 8;
    public const int Ping = 9;
    public const int Pong = 10;

    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private RawWebSocket(TcpClient tcp, string responseHead)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        ResponseHead = responseHead;
    }

    public string ResponseHead { get; }

    /// <summary>Opens a WebSocket at <paramref name="path"/>; throws unless the server answers 101 with the right accept key.</summary>
    public static async Task<RawWebSocket> ConnectAsync(int port, string path = "/", string extraHeaders = "")
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port, Wait.Token());
        var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Wait.Token());
        var head = await ReadHeadAsync(stream);
#pragma warning disable CA5350 // RFC 6455 defines Sec-WebSocket-Accept with SHA-1.
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) || !head.Contains($"Sec-WebSocket-Accept: {expected}\r\n", StringComparison.OrdinalIgnoreCase))
        {
            tcp.Dispose();
            throw new InvalidOperationException($"Handshake failed:\n{head}");
        }

        return new RawWebSocket(tcp, head);
    }

    /// <summary>Sends <paramref name="requestHead"/> (ending with an empty line) and reads the whole HTTP response.</summary>
    public static async Task<(int Status, string Head, string Body)> RequestAsync(int port, string requestHead)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, Wait.Token());
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(requestHead), Wait.Token());
        var head = await ReadHeadAsync(stream);
        var status = int.Parse(head.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var body = new MemoryStream();
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync(stream)).Split(';')[0], 16);
                if (size == 0)
                {
                    break;
                }

                body.Write(await ReadExactAsync(stream, size));
                await ReadLineAsync(stream);
            }
        }
        else if (FindHeader(head, "Content-Length") is { } length)
        {
            body.Write(await ReadExactAsync(stream, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)));
        }

        return (status, head, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>Reads one frame (any opcode), or null when the server closed the TCP connection.</summary>
    public async Task<(int Opcode, bool Fin, bool Compressed, byte[] Payload)?> ReadFrameAsync()
    {
        byte[] head;
        try
        {
            head = await ReadExactAsync(_stream, 2);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        if ((head[1] & 0x80) != 0)
        {
            throw new InvalidDataException("A server frame is masked (RFC 6455 5.1 forbids it).");
        }

        long length = head[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactAsync(_stream, 2));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactAsync(_stream, 8));
        }

        var payload = await ReadExactAsync(_stream, checked((int)length));
        return (head[0] & 0x0F, (head[0] & 0x80) != 0, (head[0] & 0x40) != 0, payload);
    }

    /// <summary>Reads frames up to the next data frame (text or binary) or close, answering nothing; control frames are passed to <paramref name="onControl"/>.</summary>
    public async Task<(int Opcode, bool Fin, bool Compressed, byte[] Payload)?> ReadDataFrameAsync(Action<int, byte[]>? onControl = null)
    {
        while (true)
        {
            var frame = await ReadFrameAsync();
            if (frame is null || frame.Value.Opcode is Text or Binary or Close or 0)
            {
                return frame;
            }

            onControl?.Invoke(frame.Value.Opcode, frame.Value.Payload);
        }
    }

    /// <summary>Sends one final, masked frame.</summary>
    public async Task SendFrameAsync(int opcode, byte[] payload)
    {
        var frame = new MemoryStream();
        frame.WriteByte((byte)(0x80 | opcode));
        if (payload.Length <= 125)
        {
            frame.WriteByte((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.WriteByte(0x80 | 126);
            frame.WriteByte((byte)(payload.Length >> 8));
            frame.WriteByte((byte)payload.Length);
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        frame.Write(mask);
        for (var i = 0; i < payload.Length; i++)
        {
            frame.WriteByte((byte)(payload[i] ^ mask[i % 4]));
        }

        await _sendLock.WaitAsync(Wait.Token());
        try
        {
            await _stream.WriteAsync(frame.ToArray(), Wait.Token());
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public static byte[] ClosePayload(int code, string reason = "")
    {
        var bytes = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)code);
        Encoding.UTF8.GetBytes(reason, bytes.AsSpan(2));
        return bytes;
    }

    public void Dispose()
    {
        _tcp.Dispose();
        _sendLock.Dispose();
    }

    private static string? FindHeader(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            head.Append((char)(await ReadExactAsync(stream, 1))[0]);
        }

        return head.ToString();
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            line.Append((char)(await ReadExactAsync(stream, 1))[0]);
        }

        return line.ToString()[..^2];
    }

    private static async Task<byte[]> ReadExactAsync(Stream stream, int count)
    {
        var bytes = new byte[count];
        await stream.ReadExactlyAsync(bytes, Wait.Token());
        return bytes;
    }
}
