using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;

namespace Friture.Streaming.Benchmarks.Process;

/// <summary>
/// Whole-process workloads for <c>scripts/bench-process.sh</c>, which runs each under <c>/usr/bin/time</c>:
/// <c>library [none|consumer] seconds rate channels</c> runs the library on the real-time generator;
/// <c>ws-clients url count seconds</c> holds WebSocket clients open and prints the payload bytes received;
/// <c>ws-load url count seconds</c> is the load test's client side (<see cref="WebSocketLoad"/>).
/// </summary>
internal static class ProcessBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        switch (args)
        {
            case ["library", var mode, var seconds, var rate, var channels]:
                await RunLibraryAsync(mode == "consumer", Parse(seconds), (int)Parse(rate), (int)Parse(channels)).ConfigureAwait(false);
                return 0;
            case ["ws-clients", var url, var count, var seconds]:
                await RunClientsAsync(new Uri(url), (int)Parse(count), Parse(seconds)).ConfigureAwait(false);
                return 0;
            case ["sizes"]:
                return await MessageSizes.RunAsync(48000, 2).ConfigureAwait(false);
            case ["sizes", var rate, var channels]:
                return await MessageSizes.RunAsync((int)Parse(rate), (int)Parse(channels)).ConfigureAwait(false);
            case ["ws-load", var url, var count, var seconds]:
                return await WebSocketLoad.RunAsync(new Uri(url), (int)Parse(count), Parse(seconds)).ConfigureAwait(false);
            default:
                await Console.Error.WriteLineAsync("usage: process library none|consumer <seconds> <rate> <channels> | process ws-clients <url> <count> <seconds> | process ws-load <url> <count> <seconds> | process sizes [rate channels]").ConfigureAwait(false);
                return 2;
        }
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static async Task RunLibraryAsync(bool consumer, double seconds, int rate, int channels)
    {
        var source = new SignalGeneratorSource(new SignalGeneratorOptions { SampleRate = rate, Channels = channels, FrequencyHz = 440, LevelDbfs = -12 });
        await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = source });
        if (Environment.GetEnvironmentVariable("BENCH_NO_PRODUCERS") is null)
        {
            api.RegisterDefaultProducers();
        }
        long delivered = 0;
        if (consumer)
        {
            var sink = new CallbackConsumer(_ => Interlocked.Increment(ref delivered));
            foreach (var type in DataType.All)
            {
                api.RegisterConsumer(type, sink);
            }
        }

        await api.StartStreamingAsync().ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        await api.StopStreamingAsync().ConfigureAwait(false);
        Console.WriteLine(FormattableString.Invariant($"delivered {Interlocked.Read(ref delivered)}"));
    }

    private static async Task RunClientsAsync(Uri url, int count, double seconds)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var bytes = new long[count];
        var messages = new long[count];
        var perType = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                using var socket = new ClientWebSocket();
                await socket.ConnectAsync(url, stop.Token).ConfigureAwait(false);
                var buffer = new byte[1 << 20];
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var result = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            return;
                        }

                        bytes[index] += result.Count;
                        if (result.EndOfMessage)
                        {
                            messages[index]++;
                            if (index == 0 && result.MessageType == WebSocketMessageType.Text)
                            {
                                perType.AddOrUpdate(DataTypeOf(buffer.AsSpan(0, result.Count)), 1, static (_, n) => n + 1);
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        foreach (var pair in perType.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            await Console.Error.WriteLineAsync(FormattableString.Invariant($"type {pair.Key} messages_per_s {pair.Value / elapsed:F1}")).ConfigureAwait(false);
        }

        Console.WriteLine(FormattableString.Invariant($"clients {count} bytes_per_s_per_client {bytes.Sum() / (double)count / elapsed:F0} messages_per_s_per_client {messages.Sum() / (double)count / elapsed:F1}"));
    }

    private static string DataTypeOf(ReadOnlySpan<byte> message)
    {
        var key = "\"data_type\":\""u8;
        var at = message.IndexOf(key);
        if (at < 0)
        {
            return "(other)";
        }

        var rest = message[(at + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? "(other)" : System.Text.Encoding.UTF8.GetString(rest[..end]);
    }
}
