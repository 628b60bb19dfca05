using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Hosting;
using Friture.Streaming.Server.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Benchmarks.Network;

/// <summary>
/// Thread CPU time of writing one batch of N WebSocket messages on the server's real path (Kestrel with
/// <c>UnsafePreferInlineScheduling</c> as <c>KestrelHost</c> sets it, ASP.NET Core's handshake, ManagedWebSocket,
/// loopback TCP to a ClientWebSocket that drains on other threads): one transport write per frame, the socket's frames
/// buffered by <see cref="CoalescingStream"/> and written once, and the frames made by the session itself
/// (<see cref="CoalescingStream.WriteFramesAsync"/>, no <c>SendAsync</c> per message) and written once, in interleaved blocks. The figure is
/// the CPU time of the whole process (CLOCK_PROCESS_CPUTIME_ID) per batch, the in-process client's receive included:
/// thread CPU time would miss sends that Kestrel completes on its I/O threads. Linux only. Run with
/// <c>dotnet run -c Release --project tests/Friture.Streaming.Benchmarks -- interleaved websocket-batch</c>.
/// With <c>WSBATCH_STRACE=1</c> it sends one block of 500 batches of 7 x 1,100 bytes each way between stderr markers,
/// for <c>strace -f -e trace=sendmsg,sendto,write</c> to count the socket sends of each (500 and 3,500 on 2026-12-02).
/// </summary>
internal static partial class WebSocketBatchCpu
{
    private const int ClockProcessCpuTime = 2;

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
                try
                {
                    var coalescing = CoalescingUpgrade.TryInstall(context, TimeSpan.Zero, null);
                    var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
                    accepted.SetResult((socket, coalescing?.Stream ?? throw new InvalidOperationException("The coalescing stream was not installed.")));
                }
                catch (Exception ex)
                {
                    accepted.TrySetException(ex);
                    throw;
                }

                await finished.Task;
            });
        }, CancellationToken.None);

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/"), CancellationToken.None);
        long received = 0;
        long expected = long.MaxValue;
        using var caughtUp = new ManualResetEventSlim(false, spinCount: 0);
        var drain = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            while (true)
            {
                var result = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.EndOfMessage && Interlocked.Increment(ref received) >= Volatile.Read(ref expected))
                {
                    caughtUp.Set();
                }
            }
        });
        var (server, stream) = await accepted.Task;
        using var abort = new CancellationTokenSource(); // the send loop passes a cancellable token (the session's abort)

        Console.WriteLine("One batch of N text messages to one in-process ClientWebSocket over loopback; CPU time of the whole process");
        Console.WriteLine("(server send path and the client's receive) per batch, blocks of 500 batches, interleaved (order rotated), 61 rounds each;");
        Console.WriteLine("ratios are medians of per-round ratios: one write / per-frame writes, session frames / one write");
        Console.WriteLine("| N x bytes | per-frame writes (us) | socket frames, one write (us) | session frames, one write (us) | one write / per-frame | quartiles | session / socket frames | quartiles |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|---:|---|");
        foreach (var (count, bytes) in new[] { (7, 1_100), (7, 4_000), (2, 1_100), (32, 1_100) })
        {
            var messages = Enumerable.Range(0, count).Select(i => new ReadOnlyMemory<byte>(Enumerable.Repeat((byte)('a' + (i % 26)), bytes).ToArray())).ToArray();
            var outbound = messages.Select(static m => OutboundMessage.Unpooled(MessageKind.Data, m.ToArray())).ToArray();
            void Coalesced()
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
            }

            void Direct() => Complete(stream.WriteFramesAsync(outbound, abort.Token));

            void PerFrame()
            {
                foreach (var message in messages)
                {
                    Complete(server.SendAsync(message, WebSocketMessageType.Text, true, abort.Token));
                }
            }

            double Block(Action batch)
            {
                const int Batches = 500;
                caughtUp.Reset();
                Volatile.Write(ref expected, Interlocked.Read(ref received) + ((long)Batches * count));
                var t0 = ProcessNanoseconds();
                for (var b = 0; b < Batches; b++)
                {
                    batch();
                }

                if (!caughtUp.Wait(TimeSpan.FromSeconds(10)))
                {
                    throw new TimeoutException($"The client received {Interlocked.Read(ref received)} of {Volatile.Read(ref expected)} messages ({drain.Exception?.InnerException?.Message}).");
                }
                return (ProcessNanoseconds() - t0) / (double)Batches;
            }

            if (Environment.GetEnvironmentVariable("WSBATCH_STRACE") == "1")
            {
                // One block of each between markers on stderr, for counting socket sends with strace (see the class summary).
                Block(Coalesced);
                Block(PerFrame);
                Console.Error.WriteLine("MARK-coalesced-start");
                Block(Coalesced);
                Console.Error.WriteLine("MARK-perframe-start");
                Block(PerFrame);
                Console.Error.WriteLine("MARK-end");
                break;
            }

            for (var warm = 0; warm < 5; warm++)
            {
                Block(Coalesced);
                Block(PerFrame);
                Block(Direct);
            }

            const int Rounds = 61;
            var a = new double[Rounds];
            var b = new double[Rounds];
            var c = new double[Rounds];
            var ratios = new double[Rounds];
            var directRatios = new double[Rounds];
            for (var r = 0; r < Rounds; r++)
            {
                switch (r % 3)
                {
                    case 0:
                        a[r] = Block(Coalesced);
                        b[r] = Block(PerFrame);
                        c[r] = Block(Direct);
                        break;
                    case 1:
                        b[r] = Block(PerFrame);
                        c[r] = Block(Direct);
                        a[r] = Block(Coalesced);
                        break;
                    default:
                        c[r] = Block(Direct);
                        a[r] = Block(Coalesced);
                        b[r] = Block(PerFrame);
                        break;
                }

                ratios[r] = a[r] / b[r];
                directRatios[r] = c[r] / a[r];
            }

            Array.Sort(a);
            Array.Sort(b);
            Array.Sort(c);
            Array.Sort(ratios);
            Array.Sort(directRatios);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count} x {bytes:N0} | {b[Rounds / 2] / 1000:F1} | {a[Rounds / 2] / 1000:F1} | {c[Rounds / 2] / 1000:F1} | {ratios[Rounds / 2]:F3} | {ratios[Rounds / 4]:F3} .. {ratios[3 * Rounds / 4]:F3} | {directRatios[Rounds / 2]:F3} | {directRatios[Rounds / 4]:F3} .. {directRatios[3 * Rounds / 4]:F3} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transport writes: {stream.TransportWrites:N0}"));
        await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await drain;
        finished.SetResult();
    }

    private static long ProcessNanoseconds() =>
        ClockGetTime(ClockProcessCpuTime, out var time) == 0 ? (time.Seconds * 1_000_000_000L) + time.Nanoseconds : throw new PlatformNotSupportedException("clock_gettime failed.");

    private static void Complete(ValueTask<long> send)
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

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
