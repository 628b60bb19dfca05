using System.Globalization;
using System.Net.WebSockets;
using Friture.Streaming.Benchmarks.Dsp;
using Friture.Streaming.Server.Hosting;
using Friture.Streaming.Server.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Benchmarks.Network;

/// <summary>
/// Thread CPU time of writing one batch of N WebSocket messages on the server's real path (Kestrel with
/// <c>UnsafePreferInlineScheduling</c> as <c>KestrelHost</c> sets it, ASP.NET Core's handshake, ManagedWebSocket,
/// loopback TCP to a ClientWebSocket that drains on other threads): one transport write per frame (before) against
/// the frames buffered by <see cref="CoalescingStream"/> and written once (now), interleaved (<see cref="Interleaved"/>).
/// The sending thread's CPU time includes the socket send and the loopback TCP work done inside it. Run with
/// <c>dotnet run -c Release --project tests/Friture.Streaming.Benchmarks -- interleaved websocket-batch</c>.
/// </summary>
internal static class WebSocketBatchCpu
{
    internal static void Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task RunAsync()
    {
        var accepted = new TaskCompletionSource<(WebSocket Socket, CoalescingStream Stream)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await KestrelHost.StartAsync("bench", "127.0.0.1", 0, null, null, app =>
        {
            app.UseWebSockets();
            app.Run(async context =>
            {
                var coalescing = CoalescingUpgrade.TryInstall(context, TimeSpan.Zero, null);
                var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
                accepted.SetResult((socket, coalescing?.Stream ?? throw new InvalidOperationException("The coalescing stream was not installed.")));
                await finished.Task;
            });
        }, CancellationToken.None);

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/"), CancellationToken.None);
        var drain = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            while (!(await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None)).MessageType.Equals(WebSocketMessageType.Close))
            {
            }
        });
        var (server, stream) = await accepted.Task;
        using var abort = new CancellationTokenSource(); // the send loop passes a cancellable token (the session's abort)

        Console.WriteLine("One batch of N text messages to one client over loopback, thread CPU time of the sending thread; ratio = coalesced / per-frame (interleaved rounds)");
        Console.WriteLine("| N x bytes | per-frame writes (us) | one write (us) | ratio (median) | quartiles |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var (count, bytes) in new[] { (7, 1_100), (7, 4_000), (2, 1_100), (32, 1_100) })
        {
            var messages = Enumerable.Range(0, count).Select(i => new ReadOnlyMemory<byte>(Enumerable.Repeat((byte)('a' + i), bytes).ToArray())).ToArray();
            var result = Interleaved.Compare(
                () =>
                {
                    stream.BeginBatch();
                    for (var i = 0; i < messages.Length; i++)
                    {
                        if (i == messages.Length - 1)
                        {
                            stream.FlushAtNextWrite();
                        }

                        Complete(server.SendAsync(messages[i], WebSocketMessageType.Text, true, abort.Token));
                    }

                    stream.EndBatch();
                },
                () =>
                {
                    foreach (var message in messages)
                    {
                        Complete(server.SendAsync(message, WebSocketMessageType.Text, true, abort.Token));
                    }
                },
                rounds: 101);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count} x {bytes:N0} | {result.BNanoseconds / 1000:F1} | {result.ANanoseconds / 1000:F1} | {result.MedianRatio:F3} | {result.LowerQuartile:F3} .. {result.UpperQuartile:F3} |"));
        }

        Console.WriteLine($"transport writes: {stream.TransportWrites:N0}");
        await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await drain;
        finished.SetResult();
    }

    private static void Complete(ValueTask send)
    {
        if (send.IsCompleted)
        {
            send.GetAwaiter().GetResult();
        }
        else
        {
            send.AsTask().GetAwaiter().GetResult();
        }
    }
}
