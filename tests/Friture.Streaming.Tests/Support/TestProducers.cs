using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Tests.Support;

/// <summary>A levels producer that counts its calls and emits the block's peak; used to observe engine behaviour.</summary>
internal sealed class CountingProducer : DataProducer
{
    private readonly DataType _type;

    public CountingProducer(DataType? type = null, string? id = null)
        : base(id) => _type = type ?? DataType.Levels;

    public int ProcessCalls { get; private set; }

    public int ExtractCalls { get; private set; }

    public int InitializeCalls { get; private set; }

    public int ResetCalls { get; private set; }

    public float LastPeak { get; private set; }

    public bool Throw { get; set; }

    public override DataType GetDataType() => _type;

    public override StreamingPayload? ExtractData()
    {
        ExtractCalls++;
        if (Throw)
        {
            throw new InvalidOperationException("producer boom");
        }

        return _type == DataType.Levels
            ? new LevelsData { PeakLevelsDb = [LastPeak], ChannelLabels = ["ch1"] }
            : (StreamingPayload)Activator.CreateInstance(_type.PayloadType)!;
    }

    protected internal override void Initialize(AudioFormat format) => InitializeCalls++;

    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        ProcessCalls++;
        var peak = 0f;
        foreach (var s in block.Samples)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }

        LastPeak = peak;
        return true;
    }

    protected internal override void Reset() => ResetCalls++;
}

/// <summary>Helpers shared by engine tests.</summary>
internal static class Blocks
{
    public static readonly AudioFormat Stereo48k = new(48_000, 2);

    public static void Feed(StreamingApi api, float[] samples, AudioFormat format, ref long frame)
    {
        var block = new AudioBlock(samples, format, frame);
        api.ProcessAudioBlock(block);
        frame += block.FrameCount;
    }

    public static LevelsData Levels(float value) => new() { PeakLevelsDb = ImmutableArray.Create(value) };
}
