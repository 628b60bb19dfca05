using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Benchmarks.Process;

/// <summary>
/// <c>sizes [rate channels]</c>: bytes per message and encode time for every data type, at the network default resolution
/// and at full resolution, in JSON and in the binary frame (docs/performance.md).
/// </summary>
/// <remarks>
/// The messages are real ones: the library's default producers (the CLI's defaults: FFT 8192, 1/3 octave, 50 ms scope)
/// run for 4 s on the generator (440 Hz sine at -12 dBFS) and the last message of each type is kept. Encode time is the
/// fastest of 7 rounds of at least 40 ms each (one thread, warm), so a loaded machine inflates it less than a mean
/// would; the reduction to the network defaults is timed separately (it happens once per message and distinct
/// resolution, shared by every client that asked for it; timed uncached here).
/// </remarks>
internal static class MessageSizes
{
    public static async Task<int> RunAsync(int rate, int channels)
    {
        var last = new ConcurrentDictionary<DataType, StreamingData>();
        var source = new SignalGeneratorSource(new SignalGeneratorOptions { SampleRate = rate, Channels = channels, FrequencyHz = 440, LevelDbfs = -12 });
        await using (var api = new StreamingApi(new StreamingApiOptions { AudioSource = source }))
        {
            api.RegisterDefaultProducers();
            var sink = new CallbackConsumer(data => last[data.DataType] = data);
            foreach (var type in DataType.BuiltIn)
            {
                api.RegisterConsumer(type, sink);
            }

            await api.StartStreamingAsync().ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(4)).ConfigureAwait(false);
            await api.StopStreamingAsync().ConfigureAwait(false);
        }

        Console.WriteLine(FormattableString.Invariant($"message sizes and encode times, {rate} Hz x {channels} channels, library defaults"));
        Console.WriteLine("| data type | JSON, network default | binary, network default | JSON, full | binary, full | reduce to network default |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var writer = new ArrayBufferWriter<byte>(1 << 20);
        foreach (var type in DataType.BuiltIn)
        {
            if (!last.TryGetValue(type, out var full))
            {
                Console.WriteLine($"| {type.Name} | (no message in 4 s) | | | | |");
                continue;
            }

            var reduced = PayloadReducer.Reduce(full, ResolutionRequest.NetworkDefault);
            var reduceTime = Time(() => PayloadReducer.ReducePayload(full.Data, ResolutionRequest.NetworkDefault));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {type.Name} | {Cell(writer, reduced, SerializationFormat.Json)} | {Cell(writer, reduced, SerializationFormat.Binary)} | {Cell(writer, full, SerializationFormat.Json)} | {Cell(writer, full, SerializationFormat.Binary)} | {Microseconds(reduceTime)} |"));
        }

        return 0;
    }

    private static string Cell(ArrayBufferWriter<byte> writer, StreamingData data, SerializationFormat format)
    {
        void Encode()
        {
            writer.ResetWrittenCount();
            if (format == SerializationFormat.Binary)
            {
                BinaryFrame.Write(writer, data);
            }
            else
            {
                StreamingJson.Serialize(writer, data);
            }
        }

        Encode();
        var bytes = writer.WrittenCount;
        var time = Time(Encode);
        return string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B, {Microseconds(time)}");
    }

    private static string Microseconds(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:0.0} us");

    /// <summary>Seconds per call: the fastest of 7 rounds of at least 40 ms.</summary>
    private static double Time(Action action)
    {
        action();
        var iterations = 1;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            clock.Restart();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            if (clock.Elapsed.TotalMilliseconds >= 40)
            {
                break;
            }

            iterations *= 2;
        }

        var best = double.MaxValue;
        for (var round = 0; round < 7; round++)
        {
            clock.Restart();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            best = Math.Min(best, clock.Elapsed.TotalSeconds / iterations);
        }

        return best;
    }
}
