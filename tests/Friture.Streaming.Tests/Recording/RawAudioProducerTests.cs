using Friture.Streaming.Audio;
using Friture.Streaming.Recording;

namespace Friture.Streaming.Tests.Recording;

public sealed class RawAudioProducerTests
{
    private static readonly AudioFormat Stereo = new(48_000, 2);

    [Fact]
    public void ExtractData_AfterEachBlock_CopiesTheBlockWithItsFrameIndex()
    {
        var producer = new RawAudioProducer();
        producer.Initialize(Stereo);
        var samples = Enumerable.Range(0, 1_024).Select(i => i / 1_024f).ToArray();

        Assert.True(producer.ProcessBlock(new AudioBlock(samples, Stereo, 512)));
        var chunk = Assert.IsType<AudioChunkData>(producer.ExtractData());

        Assert.Equal(samples, chunk.Samples.ToArray());
        Assert.Equal(512, chunk.FirstFrameIndex);
        Assert.Equal(512, chunk.FrameCount);
        Assert.Equal((48_000, 2), (chunk.SampleRate, chunk.Channels));
        Assert.Null(producer.ExtractData());
    }

    [Fact]
    public void ExtractData_RateLimitedBlocks_AreJoinedNotLost()
    {
        var producer = new RawAudioProducer();
        producer.Initialize(Stereo);

        producer.ProcessBlock(new AudioBlock(Enumerable.Repeat(0.25f, 20).ToArray(), Stereo, 0));
        producer.ProcessBlock(new AudioBlock(Enumerable.Repeat(0.5f, 20).ToArray(), Stereo, 10));
        var chunk = Assert.IsType<AudioChunkData>(producer.ExtractData());

        Assert.Equal(0, chunk.FirstFrameIndex);
        Assert.Equal(20, chunk.FrameCount);
        Assert.Equal(0.5f, chunk.Samples[^1]);
    }

    [Fact]
    public void ProcessBlock_GapInFrameIndex_StartsANewChunkAtTheGap()
    {
        var producer = new RawAudioProducer();
        producer.Initialize(Stereo);

        producer.ProcessBlock(new AudioBlock(new float[20], Stereo, 0));
        producer.ProcessBlock(new AudioBlock(new float[20], Stereo, 100));
        var chunk = Assert.IsType<AudioChunkData>(producer.ExtractData());

        Assert.Equal(100, chunk.FirstFrameIndex);
        Assert.Equal(10, chunk.FrameCount);
    }

    [Fact]
    public void Json_AudioChunk_SerializesInSnakeCase()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new AudioChunkData { Samples = [0.5f], FirstFrameIndex = 7, SampleRate = 8_000, Channels = 1 },
            RecordingJsonContext.Default.AudioChunkData);

        Assert.Equal("""{"samples":[0.5],"first_frame_index":7,"sample_rate":8000,"channels":1,"frame_count":1}""", json);
        Assert.Equal("raw_audio", RawAudioProducer.RawAudio.Name);
    }
}
