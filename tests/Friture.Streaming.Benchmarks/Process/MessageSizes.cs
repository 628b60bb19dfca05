using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Serialization.Legacy;

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
/// resolution, shared by every client that asked for it; timed uncached here). Each encode cell compares the encoder
/// before the fast writers (<see cref="LegacyEncoding"/>, <see cref="LegacyBinaryFrame"/>) with today's in the same run,
/// rounds interleaved (old, new, old, new, ...), and prints old and new time and new/old; a JSON cell also times the
/// encoder before the hand-written payload writers (<see cref="PreviousEncoding"/>, with its own copy of the float text)
/// and prints new/previous first. Each cell checks that all of them wrote the same bytes. A JSON encode of the same
/// message in a loop finds repeated arrays' text kept (FloatTextCache), as consecutive messages of a type do when their
/// frequency grid is unchanged.
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
        Console.WriteLine("JSON cells: bytes, legacy -> previous -> new time per message (new/previous, new/legacy). Legacy = the encoders before the fast writers (LegacyEncoding),");
        Console.WriteLine("previous = before the hand-written payload writers (PreviousEncoding); binary cells: legacy -> new (new/legacy). Same run, interleaved rounds.");
        Console.WriteLine("| data type | JSON, network default | binary, network default | JSON, full | binary, full | reduce to network default |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var writer = new ArrayBufferWriter<byte>(1 << 20);

        // Warm-up: every encoder on every message until the JIT has tiered up (otherwise the first cell pays for it).
        for (var i = 0; i < 300; i++)
        {
            foreach (var full in last.Values)
            {
                foreach (var data in new[] { full, PayloadReducer.Reduce(full, ResolutionRequest.NetworkDefault) })
                {
                    writer.ResetWrittenCount();
                    StreamingJson.Serialize(writer, data);
                    writer.ResetWrittenCount();
                    BinaryFrame.Write(writer, data);
                    writer.ResetWrittenCount();
                    LegacyEncoding.WriteJson(writer, data);
                    writer.ResetWrittenCount();
                    LegacyBinaryFrame.Write(writer, data);
                    writer.ResetWrittenCount();
                    PreviousEncoding.WriteJson(writer, data);
                }
            }
        }

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
        var binary = format == SerializationFormat.Binary;
        void New()
        {
            writer.ResetWrittenCount();
            if (binary)
            {
                BinaryFrame.Write(writer, data);
            }
            else
            {
                StreamingJson.Serialize(writer, data);
            }
        }

        void Old()
        {
            writer.ResetWrittenCount();
            if (binary)
            {
                LegacyBinaryFrame.Write(writer, data);
            }
            else
            {
                LegacyEncoding.WriteJson(writer, data);
            }
        }

        void Previous()
        {
            writer.ResetWrittenCount();
            PreviousEncoding.WriteJson(writer, data);
        }

        Old();
        var expected = writer.WrittenSpan.ToArray();
        New();
        var bytes = writer.WrittenCount;
        var same = writer.WrittenSpan.SequenceEqual(expected) ? string.Empty : " DIFFERENT BYTES";
        if (binary)
        {
            var (oldTime, newTime) = TimePair(Old, New);
            return string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B, {Microseconds(oldTime)} -> {Microseconds(newTime)} ({newTime / oldTime:0.00}){same}");
        }

        Previous();
        same += writer.WrittenSpan.SequenceEqual(expected) ? string.Empty : " PREVIOUS DIFFERS";
        var times = TimeInterleaved(Old, Previous, New);
        return string.Create(CultureInfo.InvariantCulture,
            $"{bytes:N0} B, {Microseconds(times[0])} -> {Microseconds(times[1])} -> {Microseconds(times[2])} ({times[2] / times[1]:0.00}, {times[2] / times[0]:0.00}){same}");
    }

    /// <summary>Seconds per call of each: the fastest of 7 interleaved rounds of at least 40 ms.</summary>
    private static double[] TimeInterleaved(params Action[] actions)
    {
        var iterations = Iterations(actions[0]);
        var clock = new Stopwatch();
        var best = Enumerable.Repeat(double.MaxValue, actions.Length).ToArray();
        for (var round = 0; round < 7; round++)
        {
            for (var a = 0; a < actions.Length; a++)
            {
                clock.Restart();
                for (var i = 0; i < iterations; i++)
                {
                    actions[a]();
                }

                best[a] = Math.Min(best[a], clock.Elapsed.TotalSeconds / iterations);
            }
        }

        return best;
    }

    /// <summary>Seconds per call of each: the fastest of 7 interleaved rounds of at least 40 ms.</summary>
    private static (double First, double Second) TimePair(Action first, Action second)
    {
        var iterations = Iterations(first);
        var clock = new Stopwatch();
        double bestFirst = double.MaxValue, bestSecond = double.MaxValue;
        for (var round = 0; round < 7; round++)
        {
            clock.Restart();
            for (var i = 0; i < iterations; i++)
            {
                first();
            }

            bestFirst = Math.Min(bestFirst, clock.Elapsed.TotalSeconds / iterations);
            clock.Restart();
            for (var i = 0; i < iterations; i++)
            {
                second();
            }

            bestSecond = Math.Min(bestSecond, clock.Elapsed.TotalSeconds / iterations);
        }

        return (bestFirst, bestSecond);
    }

    private static int Iterations(Action action)
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
                return iterations;
            }

            iterations *= 2;
        }
    }

    private static string Microseconds(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:0.0} us");

    /// <summary>Seconds per call: the fastest of 7 rounds of at least 40 ms.</summary>
    private static double Time(Action action)
    {
        var iterations = Iterations(action);
        var clock = new Stopwatch();
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
