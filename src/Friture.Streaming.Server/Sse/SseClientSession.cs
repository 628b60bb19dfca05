using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.Sse;

/// <summary>
/// An SSE client: each stream message becomes <c>id: &lt;data_type&gt;:&lt;sequence_number&gt;</c> and
/// <c>data: &lt;json&gt;</c> lines (an unnamed event, so <c>EventSource.onmessage</c> fires); a batch is flushed once.
/// </summary>
internal sealed class SseClientSession : ClientSession
{
    private readonly PipeWriter _writer;

    public SseClientSession(string clientId, string remoteEndPoint, ProtocolOptions options, ClientSubscription subscription, PipeWriter writer)
        : base(clientId, remoteEndPoint, options, subscription) => _writer = writer;

    protected override async ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
    {
        long bytes = 0;
        foreach (var message in batch)
        {
            bytes += Write(message);
        }

        var result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("The SSE response has ended.");
        }

        return bytes;
    }

    private long Write(OutboundMessage message)
    {
        var payload = message.Payload.Span;
        switch (message.Kind)
        {
            case MessageKind.Comment:
                _writer.Write(payload);
                return payload.Length;
            case MessageKind.Data:
            {
                var written = Append("id: "u8);
                written += Append(message.DataType!.Name);
                written += Append(":"u8);
                var span = _writer.GetSpan(20);
                message.SequenceNumber.TryFormat(span, out var digits, default, CultureInfo.InvariantCulture);
                _writer.Advance(digits);
                written += digits;
                written += Append("\ndata: "u8);
                _writer.Write(payload);
                written += payload.Length;
                written += Append("\n\n"u8);
                return written;
            }

            default:
            {
                // Application text may hold line breaks: each line becomes its own data: field.
                long written = 0;
                while (true)
                {
                    var end = payload.IndexOf((byte)'\n');
                    var line = end < 0 ? payload : payload[..end];
                    if (line.Length > 0 && line[^1] == (byte)'\r')
                    {
                        line = line[..^1];
                    }

                    written += Append("data: "u8);
                    _writer.Write(line);
                    written += line.Length + Append("\n"u8);
                    if (end < 0)
                    {
                        break;
                    }

                    payload = payload[(end + 1)..];
                }

                return written + Append("\n"u8);
            }
        }
    }

    private int Append(ReadOnlySpan<byte> bytes)
    {
        _writer.Write(bytes);
        return bytes.Length;
    }

    private int Append(string ascii)
    {
        var span = _writer.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        _writer.Advance(ascii.Length);
        return ascii.Length;
    }
}
