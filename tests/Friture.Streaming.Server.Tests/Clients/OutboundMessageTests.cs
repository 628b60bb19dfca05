using System.Runtime.InteropServices;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Tests.Support;

namespace Friture.Streaming.Server.Tests.Clients;

/// <summary>Data messages queued before they are encoded: the first send loop that writes one encodes it for every holder.</summary>
public sealed class OutboundMessageTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deferred_HoldersShareOneEncoding_TheSameBytesAsEncodingAtOnce(bool binary)
    {
        var data = TestData.Spectrum(5, 4097);
        var format = binary ? SerializationFormat.Binary : SerializationFormat.Json;
        var eager = MessageEncoder.Encode(PayloadReducer.Reduce(data, ResolutionRequest.NetworkDefault), format);
        var deferred = OutboundMessage.ForData(data, ResolutionRequest.NetworkDefault, binary);
        deferred.AddReference(); // a second client's queue

        Assert.True(deferred.TryEncode());
        var first = deferred.Payload;
        var second = deferred.Payload;

        Assert.Equal(eager.Payload.ToArray(), first.ToArray());
        Assert.Equal(eager.Length, deferred.Length);
        Assert.True(MemoryMarshal.TryGetArray(first, out var a));
        Assert.True(MemoryMarshal.TryGetArray(second, out var b));
        Assert.Same(a.Array, b.Array);
        Assert.Equal(binary, deferred.IsBinary);
        Assert.Equal(DataType.FftSpectrum, deferred.DataType);
        Assert.Equal(5, deferred.SequenceNumber);
        eager.Release();
        deferred.Release();
        deferred.Release();
    }

    [Fact]
    public void Deferred_ThatCannotBeEncoded_IsReportedOnce_AndRefusedToEveryHolder()
    {
        var data = NotFinitePitch(3);
        Assert.ThrowsAny<Exception>(() => StreamingJson.Serialize(data)); // the serializer's own refusal
        var reports = new List<(OutboundMessage Message, Exception Error)>();
        var message = OutboundMessage.ForData(data, ResolutionRequest.NetworkDefault, isBinary: false, (m, e) => reports.Add((m, e)));
        message.AddReference();

        Assert.False(message.TryEncode());
        Assert.False(message.TryEncode());

        var report = Assert.Single(reports);
        Assert.Same(message, report.Message);
        var text = ClientHub.DescribeEncodingFailure("websocket", report.Message, report.Error);
        Assert.Contains("could not encode pitch_tracker message #3", text, StringComparison.Ordinal);
        Assert.Contains("stay connected", text, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => message.Payload);
        message.Release();
        message.Release();
    }

    [Fact]
    public void Deferred_ReleasedByEveryHolder_HasNoBytesLeft()
    {
        var message = OutboundMessage.ForData(TestData.Levels(1), ResolutionRequest.NetworkDefault, isBinary: false);
        message.AddReference();
        message.Release();
        Assert.True(message.TryEncode()); // one holder left: it can still be written
        Assert.NotEqual(0, message.Payload.Length);

        message.Release();

        Assert.Throws<ObjectDisposedException>(() => message.Payload);
    }

    [Fact]
    public void Deferred_DroppedBeforeItIsWritten_IsNeverEncoded()
    {
        var message = OutboundMessage.ForData(NotFinitePitch(9), ResolutionRequest.NetworkDefault, isBinary: false, (_, _) => Assert.Fail("encoded after release"));

        message.Release(); // dropped from the only queue that held it

        Assert.True(message.TryEncode()); // nothing to do: no encoding was attempted, so no failure either
        Assert.Throws<ObjectDisposedException>(() => message.Payload);
    }

    internal static StreamingData NotFinitePitch(long sequence) => new(
        TestData.Metadata(DataType.PitchTracker, sequence),
        new PitchData { FrequencyHz = double.NaN, Confidence = 0.9, NoteName = "A4", AmplitudeDb = -20 });
}
