using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Friture.Streaming.Benchmarks.Process;

/// <summary>
/// Client side of the WebSocket load test (<c>scripts/load-websocket.sh</c>): <c>count</c> clients, each reading every
/// message for <c>seconds</c> and checking the per-type <c>sequence_number</c> of each JSON message for gaps (a gap is a
/// message the server did not deliver to this client: dropped on overflow or skipped by the adaptive rate).
/// Prints one summary line per client and a total; exits 1 when a client saw a gap or failed.
/// </summary>
internal static class WebSocketLoad
{
    public static async Task<int> RunAsync(Uri url, int count, double seconds)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clients = new ClientResult[count];
        var tasks = new Task[count];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var result = clients[i] = new ClientResult();
            tasks[i] = Task.Run(() => RunClientAsync(url, result, stop.Token));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        long messages = 0, bytes = 0, gaps = 0, missing = 0;
        var failed = 0;
        for (var i = 0; i < count; i++)
        {
            var c = clients[i];
            messages += c.Messages;
            bytes += c.Bytes;
            gaps += c.Gaps;
            missing += c.Missing;
            failed += c.Error is null ? 0 : 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"client {i + 1} messages {c.Messages} bytes {c.Bytes} gaps {c.Gaps} missing {c.Missing} types {string.Join(',', c.Counts.Select(p => $"{p.Key}={p.Value}"))}{(c.Error is null ? string.Empty : " error " + c.Error)}"));
        }

        var min = clients.Min(c => c.Messages);
        var max = clients.Max(c => c.Messages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total clients {count} seconds {elapsed:F1} messages {messages} per_client_min {min} per_client_max {max} messages_per_s_per_client {messages / (double)count / elapsed:F1} bytes_per_s_per_client {bytes / (double)count / elapsed:F0} gaps {gaps} missing {missing} failed {failed}"));
        return gaps == 0 && failed == 0 ? 0 : 1;
    }

    private static async Task RunClientAsync(Uri url, ClientResult result, CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        var buffer = new byte[1 << 20];
        var length = 0;
        try
        {
            await socket.ConnectAsync(url, stop).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(length), stop).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    result.Error ??= "closed by the server";
                    return;
                }

                length += received.Count;
                result.Bytes += received.Count;
                if (!received.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    continue;
                }

                if (received.MessageType == WebSocketMessageType.Text)
                {
                    result.Check(buffer.AsSpan(0, length));
                }

                length = 0;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or JsonException or InvalidOperationException)
        {
            result.Error = ex.Message.Replace(' ', '_');
        }
    }

    private sealed class ClientResult
    {
        private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

        public long Messages { get; private set; }

        public long Bytes { get; set; }

        /// <summary>Sequence breaks seen (each may hide several messages).</summary>
        public long Gaps { get; private set; }

        /// <summary>Messages missing inside the gaps.</summary>
        public long Missing { get; private set; }

        public string? Error { get; set; }

        public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

        public void Check(ReadOnlySpan<byte> json)
        {
            // {"metadata":{... "data_type":"levels", ... "sequence_number":12, ...},"data":{...}}: read the metadata only.
            var reader = new Utf8JsonReader(json);
            string? type = null;
            long sequence = -1;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2)
                {
                    if (reader.ValueTextEquals("data_type"u8))
                    {
                        reader.Read();
                        type = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("sequence_number"u8))
                    {
                        reader.Read();
                        sequence = reader.GetInt64();
                    }
                }
                else if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
                {
                    break;
                }
            }

            if (type is null || sequence < 0)
            {
                return; // a control reply, not a data message
            }

            Messages++;
            Counts[type] = Counts.GetValueOrDefault(type) + 1;
            if (_next.TryGetValue(type, out var expected) && sequence != expected)
            {
                Gaps++;
                Missing += Math.Max(0, sequence - expected);
            }

            _next[type] = sequence + 1;
        }
    }
}
