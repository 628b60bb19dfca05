using Friture.Streaming.Audio;
using Friture.Streaming.Tests.Support;
using NAudio.Wave;

namespace Friture.Streaming.Tests.Audio.NAudio;

/// <summary>The NAudio capture path in steady state: the device callback (decode into the ring) and the capture loop's read allocate nothing.</summary>
public sealed class DeviceCaptureBufferAllocationTests
{
    [Theory]
    [InlineData("float32-extensible")]
    [InlineData("pcm24")]
    public void WriteThenRead_SteadyState_AllocatesNothing(string kind)
    {
        var format = kind == "pcm24"
            ? new WaveFormat(48_000, 24, 2)
            : new WaveFormatExtensible(48_000, 32, 2, new Guid("00000003-0000-0010-8000-00aa00389b71"), 32, 3);
        using var buffer = new DeviceCaptureBuffer("Fake mic", format, outputRate: 0, bufferSeconds: 1);
        buffer.Start();
        var packet = new byte[480 * format.BlockAlign]; // 10 ms, as WASAPI delivers
        var block = new float[480 * 2];
        void Round()
        {
            for (var i = 0; i < 100; i++)
            {
                buffer.Write(packet);
                buffer.Read(block, CancellationToken.None);
            }
        }

        Round();

        Allocations.AssertSteadyStateAllocatesNothing(Round);
    }
}
