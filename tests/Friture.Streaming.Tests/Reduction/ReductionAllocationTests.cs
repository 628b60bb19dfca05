using System.Collections.Immutable;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Reduction.Legacy;

namespace Friture.Streaming.Tests.Reduction;

/// <summary>
/// At the network default resolution and the CLI's default sizes, a reduction allocates only what it returns: the new
/// payload record and its new arrays (the arrays that depend only on the producer's reused axis, times or band arrays
/// come from the plan caches). Measured with this thread's allocation counter against the same objects allocated on
/// their own; the legacy reducer, which copied every array into its ImmutableArray and built the scope through a
/// builder, allocates more (so the measurement can fail).
/// </summary>
public sealed class ReductionAllocationTests
{
    private static readonly ResolutionRequest Request = ResolutionRequest.NetworkDefault;

    [Fact]
    public void FftSpectrum_AllocatesTheRecordAndTwoBandArrays()
    {
        var random = new Random(1);
        var fft = new FftSpectrumData
        {
            Frequencies = ReductionEquivalenceTests.LinearAxis(4097, 24_000),
            MagnitudesDb = ReductionEquivalenceTests.Values(random, 4097, -140, -20, 0),
            MagnitudesLinear = ReductionEquivalenceTests.Values(random, 4097, 0, 1, 0),
            FftSize = 8192,
        };
        var result = Bytes(() => _ = fft with { Phases = null }) + (2 * Bytes(() => _ = new float[80]));
        AssertAllocatesAtMost(result, () => PayloadReducer.ReducePayload(fft, Request));
        Assert.True(Bytes(() => LegacyPayloadReducer.ReducePayload(fft, Request)) > result);
    }

    [Fact]
    public void Spectrogram_AllocatesTheRecordAndOneBandArray()
    {
        var random = new Random(2);
        var column = new SpectrogramData
        {
            Frequencies = ReductionEquivalenceTests.LogAxis(512, 20, 24_000),
            MagnitudesDb = ReductionEquivalenceTests.Values(random, 512, -140, 0, 0),
        };
        var result = Bytes(() => _ = column with { }) + Bytes(() => _ = new float[80]);
        AssertAllocatesAtMost(result, () => PayloadReducer.ReducePayload(column, Request));
        Assert.True(Bytes(() => LegacyPayloadReducer.ReducePayload(column, Request)) > result);
    }

    [Fact]
    public void Scope_AllocatesTheRecordTheChannelArrayAndOneArrayPerChannel()
    {
        var random = new Random(3);
        var scope = new ScopeData
        {
            Times = ImmutableArray.CreateRange(Enumerable.Range(0, 2400).Select(i => i / 48_000f)),
            Samples = [ReductionEquivalenceTests.Values(random, 2400, -1, 1, 0), ReductionEquivalenceTests.Values(random, 2400, -1, 1, 0)],
        };
        var result = Bytes(() => _ = scope with { }) + Bytes(() => _ = new ImmutableArray<float>[2]) + (2 * Bytes(() => _ = new float[64]));
        AssertAllocatesAtMost(result, () => PayloadReducer.ReducePayload(scope, Request));
        Assert.True(Bytes(() => LegacyPayloadReducer.ReducePayload(scope, Request)) > result);
    }

    [Fact]
    public void OctaveSpectrum_AllocatesTheRecordAndTheLevelArray()
    {
        var random = new Random(4);
        var centres = ImmutableArray.CreateRange(Enumerable.Range(0, 31).Select(b => (float)(20 * Math.Pow(2, b / 3.0))));
        var octave = new OctaveSpectrumData
        {
            CenterFrequencies = centres,
            LowerFrequencies = [.. centres.Select(c => c / 1.12f)],
            UpperFrequencies = [.. centres.Select(c => c * 1.12f)],
            BandEnergiesDb = ReductionEquivalenceTests.Values(random, 31, -120, 0, 0),
            BandLabels = [.. centres.Select(c => $"{c:0}")],
            BandsPerOctave = 3,
        };
        var result = Bytes(() => _ = octave with { }) + Bytes(() => _ = new float[31]);
        AssertAllocatesAtMost(result, () => PayloadReducer.ReducePayload(octave, Request));
        Assert.True(Bytes(() => LegacyPayloadReducer.ReducePayload(octave, Request)) > result);
    }

    // Warms up, then passes as soon as one of three rounds allocates no more than the result (a method tiering up in
    // the middle of a round on a loaded machine allocates once; a per-call allocation shows in every round).
    private static void AssertAllocatesAtMost(long bytes, Action round)
    {
        for (var i = 0; i < 3; i++)
        {
            round();
        }

        var measured = new List<long>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var allocated = Bytes(round);
            if (allocated <= bytes)
            {
                Assert.True(allocated > 0, "the reduction returned nothing new");
                return;
            }

            measured.Add(allocated);
        }

        Assert.Fail($"every round allocated more than the result's {bytes} bytes: {string.Join(", ", measured)}");
    }

    private static long Bytes(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
