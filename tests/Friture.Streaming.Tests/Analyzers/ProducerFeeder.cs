using Friture.Streaming.Audio;
using Friture.Streaming.Producers;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Analyzers;

/// <summary>Feeds generated audio to a producer in capture-sized blocks, as the engine does.</summary>
internal sealed class ProducerFeeder
{
    private readonly DataProducer _producer;
    private readonly float[] _block;
    private long _frame;

    public ProducerFeeder(DataProducer producer, AudioFormat format, int blockFrames = 512)
    {
        _producer = producer;
        Format = format;
        BlockFrames = blockFrames;
        _block = new float[blockFrames * format.Channels];
        producer.Initialize(format);
    }

    public AudioFormat Format { get; }

    public int BlockFrames { get; }

    public long FramePosition => _frame;

    public double Time => (double)_frame / Format.SampleRate;

    /// <summary>Feeds one block whose sample (frame, channel) is given by the generator; returns ProcessBlock's result.</summary>
    public bool FeedBlock(Func<long, int, float> generator)
    {
        var channels = Format.Channels;
        for (var i = 0; i < BlockFrames; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                _block[(i * channels) + c] = generator(_frame + i, c);
            }
        }

        return FeedBlock(_block);
    }

    /// <summary>Feeds one block of interleaved samples (no allocation).</summary>
    public bool FeedBlock(ReadOnlySpan<float> interleaved)
    {
        var block = new AudioBlock(interleaved, Format, _frame);
        var ready = _producer.ProcessBlock(block);
        _frame += interleaved.Length / Format.Channels;
        return ready;
    }

    /// <summary>Feeds blocks for at least the given duration; returns whether any block reported a result.</summary>
    public bool Feed(double seconds, Func<long, int, float> generator)
    {
        var end = _frame + (long)(seconds * Format.SampleRate);
        var any = false;
        while (_frame < end)
        {
            any |= FeedBlock(generator);
        }

        return any;
    }

    public static Func<long, int, float> Sine(double frequency, double amplitude, int sampleRate, int channel = -1, double phase = 0) =>
        (n, c) => channel < 0 || c == channel ? (float)(amplitude * Math.Sin((2 * Math.PI * frequency * n / sampleRate) + phase)) : 0f;

    /// <summary>Asserts that feeding the same block many times after a warm-up allocates nothing.</summary>
    public static void AssertProcessBlockAllocatesNothing(DataProducer producer, AudioFormat format, int blocks = 400, int blockFrames = 512)
    {
        var feeder = new ProducerFeeder(producer, format, blockFrames);
        var random = new Random(5);
        var samples = new float[blockFrames * format.Channels];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)((random.NextDouble() * 2) - 1);
        }

        for (var i = 0; i < 100; i++)
        {
            feeder.FeedBlock(samples);
        }

        Allocations.AssertSteadyStateAllocatesNothing(() =>
        {
            for (var i = 0; i < blocks; i++)
            {
                feeder.FeedBlock(samples);
            }
        });
    }
}
