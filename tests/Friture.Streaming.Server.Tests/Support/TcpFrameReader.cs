using System.Net.Sockets;
using System.Text;

namespace Friture.Streaming.Server.Tests.Support;

/// <summary>An independent TCP client reading length-prefixed frames (ASCII length, '\n', payload) correctly across reads.</summary>
internal sealed class TcpFrameReader : IDisposable
{
    private readonly byte[] _one = new byte[1];

    private TcpFrameReader(TcpClient client)
    {
        Client = client;
        Stream = client.GetStream();
    }

    public TcpClient Client { get; }

    public NetworkStream Stream { get; }

    public static async Task<TcpFrameReader> ConnectAsync(int port)
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync("127.0.0.1", port, Wait.Token());
        return new TcpFrameReader(client);
    }

    /// <summary>Reads one frame, or null when the server closed the stream (FIN) at a frame boundary.</summary>
    public async Task<byte[]?> ReadFrameAsync()
    {
        var length = 0;
        var digits = 0;
        while (true)
        {
            var read = await Stream.ReadAsync(_one, Wait.Token());
            if (read == 0)
            {
                return digits == 0 ? null : throw new EndOfStreamException("stream ended inside a length line");
            }

            if (_one[0] == (byte)'\n')
            {
                break;
            }

            if (_one[0] is < (byte)'0' or > (byte)'9' || ++digits > 10)
            {
                throw new InvalidDataException($"bad length byte {_one[0]}");
            }

            length = (length * 10) + (_one[0] - '0');
        }

        var payload = new byte[length];
        await Stream.ReadExactlyAsync(payload, Wait.Token());
        return payload;
    }

    public async Task<string> ReadTextAsync() =>
        Encoding.UTF8.GetString(await ReadFrameAsync() ?? throw new EndOfStreamException("server closed"));

    public Task SendLineAsync(string line) => Stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), Wait.Token()).AsTask();

    public void Dispose() => Client.Dispose();
}
