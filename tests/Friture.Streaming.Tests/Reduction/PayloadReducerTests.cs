using System.Collections.Immutable;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Tests.Reduction;

public sealed class PayloadReducerTests
{
    private const int SampleRate = 48_000;
    private const int Bins = 4097;

    [Fact]
    public void Reduce_LogBands_KeepsANarrowPeakAndItsLevel()
    {
        // A -80 dB floor with one 1-bin peak at 1 kHz (bin 171 of an 8192-point FFT) at -6 dB.
        var peakBin = 171;
        var fft = Spectrum(bin => bin == peakBin ? -6f : -80f);
        var request = new ResolutionRequest { FftSpectrum = new SpectrumResolution { Points = 64 } };

        var reduced = (FftSpectrumData)PayloadReducer.ReducePayload(fft, request);

        Assert.Equal(64, reduced.Frequencies.Length);
        Assert.Equal(64, reduced.MagnitudesDb.Length);
        Assert.Equal(64, reduced.MagnitudesLinear.Length);
        Assert.Null(reduced.Phases);
        var loudest = IndexOfMax(reduced.MagnitudesDb.AsSpan());
        Assert.Equal(-6f, reduced.MagnitudesDb[loudest]);
        // The band that holds it brackets the bin: 64 bands over 10 octaves are 2^(10/64) = 1.115 wide.
        var centre = reduced.Frequencies[loudest];
        var peakHz = fft.Frequencies[peakBin];
        Assert.InRange(peakHz / centre, 1 / Math.Sqrt(1.115) - 0.01, Math.Sqrt(1.115) + 0.01);
        Assert.Equal(1, reduced.MagnitudesDb.Count(static v => v > -79f));
    }

    [Fact]
    public void Reduce_LogBands_CentresAreLogSpacedBetweenTheLimits()
    {
        var fft = Spectrum(static _ => -50f);
        var reduced = (FftSpectrumData)PayloadReducer.ReducePayload(fft, new ResolutionRequest
        {
            FftSpectrum = new SpectrumResolution { Points = 10, MinFrequencyHz = 20, MaxFrequencyHz = 20_480 },
        });

        // Edges 20 * 2^k, centres 20 * 2^(k + 0.5), to 4 significant digits.
        for (var k = 0; k < 10; k++)
        {
            Assert.Equal(20 * Math.Pow(2, k + 0.5), reduced.Frequencies[k], 20 * Math.Pow(2, k + 0.5) * 1e-3);
            Assert.Equal(-50f, reduced.MagnitudesDb[k]);
        }
    }

    [Fact]
    public void Reduce_LinearBands_AreEquallyWideAndTakeTheMaximum()
    {
        // Level rises with frequency, so each band's maximum is its top bin.
        var fft = Spectrum(bin => -100f + (bin * 0.01f));
        var reduced = (FftSpectrumData)PayloadReducer.ReducePayload(fft, new ResolutionRequest
        {
            FftSpectrum = new SpectrumResolution { Points = 4, MinFrequencyHz = 0, MaxFrequencyHz = 4000, Scale = SpectrumScale.Linear },
        });

        Assert.Equal([500f, 1500f, 2500f, 3500f], reduced.Frequencies.ToArray());
        var binHz = (double)SampleRate / 8192;
        for (var band = 0; band < 4; band++)
        {
            var upper = (band + 1) * 1000.0;
            var topBin = band == 3 ? (int)Math.Floor(upper / binHz) : (int)Math.Ceiling(upper / binHz) - 1;
            Assert.Equal(Math.Round((-100f + (topBin * 0.01f)) * 100) / 100, reduced.MagnitudesDb[band], 1e-4);
        }
    }

    [Fact]
    public void Reduce_FewerBinsThanPoints_CropsToTheRangeWithoutGathering()
    {
        var fft = Spectrum(bin => -bin);
        var reduced = (FftSpectrumData)PayloadReducer.ReducePayload(fft, new ResolutionRequest
        {
            FftSpectrum = new SpectrumResolution { Points = 1000, MinFrequencyHz = 100, MaxFrequencyHz = 200, Scale = SpectrumScale.Linear },
        });

        var binHz = (double)SampleRate / 8192;
        var first = (int)Math.Ceiling(100 / binHz);
        var last = (int)Math.Floor(200 / binHz);
        Assert.Equal(last - first + 1, reduced.Frequencies.Length);
        Assert.Equal(-first, reduced.MagnitudesDb[0]);
        Assert.Equal(-last, reduced.MagnitudesDb[^1]);
    }

    [Fact]
    public void Reduce_BandsNarrowerThanBins_InterpolateAtTheirCentre()
    {
        // Level linear in frequency: interpolation gives the exact line.
        var fft = Spectrum(bin => -100f + (bin * 0.1f));
        var reduced = (FftSpectrumData)PayloadReducer.ReducePayload(fft, new ResolutionRequest
        {
            FftSpectrum = new SpectrumResolution { Points = 512, MinFrequencyHz = 20, MaxFrequencyHz = 20_000 },
        });

        var binHz = (double)SampleRate / 8192;
        // The lowest band (20 Hz, about 0.01 octave wide) holds no bin.
        var expected = -100 + (reduced.Frequencies[0] / binHz * 0.1);
        Assert.Equal(expected, reduced.MagnitudesDb[0], 0.02);
    }

    [Fact]
    public void Reduce_Scope_KeepsEveryPeakAsMinMaxPairsInTimeOrder()
    {
        const int length = 2400;
        var times = Enumerable.Range(0, length).Select(static i => (i - 1200) / (float)SampleRate).ToArray();
        var samples = Enumerable.Range(0, length).Select(static i => 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / SampleRate)).ToArray();
        samples[1000] = 0.9f; // a one-sample spike
        samples[1800] = -0.95f;
        var scope = new ScopeData
        {
            Times = [.. times],
            Samples = [[.. samples], [.. samples.Select(static v => -v)]],
            ChannelLabels = ["ch1", "ch2"],
            WindowSeconds = 0.05,
        };

        var reduced = (ScopeData)PayloadReducer.ReducePayload(scope, new ResolutionRequest { Scope = new ScopeResolution { Points = 64 } });

        Assert.True(reduced.Reduced);
        Assert.Equal(64, reduced.Times.Length);
        Assert.All(reduced.Samples, static channel => Assert.Equal(64, channel.Length));
        Assert.Equal(0.9f, reduced.Samples[0].Max(), 1e-3);
        Assert.Equal(-0.95f, reduced.Samples[0].Min(), 1e-3);
        Assert.Equal(0.95f, reduced.Samples[1].Max(), 1e-3);
        // Span 13 (samples 975 to 1049) holds the spike: its pair is its min and max, in the order they occur.
        var span = 1000 * 32 / length;
        var slice = samples.AsSpan(span * length / 32, length / 32);
        var minFirst = slice.IndexOf(slice.ToArray().Min()) < slice.IndexOf(0.9f);
        Assert.Equal(minFirst ? 0.9f : slice.ToArray().Min(), reduced.Samples[0][(2 * span) + 1], 1e-3);
        Assert.Equal(minFirst ? slice.ToArray().Min() : 0.9f, reduced.Samples[0][2 * span], 1e-3);
        Assert.Equal(times[span * length / 32], reduced.Times[2 * span], 1e-5);
        Assert.Equal(times[((span + 1) * length / 32) - 1], reduced.Times[(2 * span) + 1], 1e-5);
    }

    [Fact]
    public void Reduce_ScopeShorterThanBudget_IsUnchanged()
    {
        var scope = new ScopeData { Times = [0f, 1f], Samples = [[0.1f, 0.2f]], ChannelLabels = ["ch1"] };
        Assert.Same(scope, PayloadReducer.ReducePayload(scope, ResolutionRequest.NetworkDefault));
    }

    [Fact]
    public void Reduce_Octave_CutsEveryBandArrayToTheLimits()
    {
        var centres = new[] { 31.5f, 63f, 125f, 250f, 500f, 1000f };
        var octave = new OctaveSpectrumData
        {
            CenterFrequencies = [.. centres],
            LowerFrequencies = [.. centres.Select(static f => f / MathF.Sqrt(2))],
            UpperFrequencies = [.. centres.Select(static f => f * MathF.Sqrt(2))],
            BandEnergiesDb = [-10.123456f, -20f, -30f, -40f, -50f, -60f],
            BandLabels = ["31.5", "63", "125", "250", "500", "1k"],
            BandsPerOctave = 1,
        };

        var reduced = (OctaveSpectrumData)PayloadReducer.ReducePayload(octave, new ResolutionRequest
        {
            OctaveSpectrum = new OctaveResolution { MinFrequencyHz = 60, MaxFrequencyHz = 600 },
        });

        Assert.Equal(["63", "125", "250", "500"], reduced.BandLabels.ToArray());
        Assert.Equal([63f, 125f, 250f, 500f], reduced.CenterFrequencies.ToArray());
        Assert.Equal(4, reduced.LowerFrequencies.Length);
        Assert.Equal(4, reduced.UpperFrequencies.Length);
        Assert.Equal([-20f, -30f, -40f, -50f], reduced.BandEnergiesDb.ToArray());
    }

    [Fact]
    public void Reduce_EqualRequests_ShareOneReducedMessage()
    {
        var data = Message(Spectrum(static _ => -50f));
        var first = PayloadReducer.Reduce(data, new ResolutionRequest { FftSpectrum = new SpectrumResolution { Points = 32 } });
        var second = PayloadReducer.Reduce(data, new ResolutionRequest { FftSpectrum = new SpectrumResolution { Points = 32 } });
        var other = PayloadReducer.Reduce(data, new ResolutionRequest { FftSpectrum = new SpectrumResolution { Points = 33 } });

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Equal(data.Metadata, first.Metadata);
        Assert.Same(data, PayloadReducer.Reduce(data, ResolutionRequest.Full));
    }

    [Fact]
    public void Reduce_OtherDataTypes_AreReturnedAsTheyAre()
    {
        var levels = new StreamingData(
            new StreamingMetadata { DataType = DataType.Levels, Timestamp = DateTimeOffset.UnixEpoch },
            new LevelsData { PeakLevelsDb = [-6.0000005f] });
        Assert.Same(levels, PayloadReducer.Reduce(levels, ResolutionRequest.NetworkDefault));
    }

    [Fact]
    public void Reduce_NetworkDefault_MakesSpectrumJsonSmallAndShort()
    {
        var random = new Random(7);
        var fft = Spectrum(_ => (float)(-120 + (random.NextDouble() * 100)));
        var full = StreamingJson.SerializeToUtf8Bytes(Message(fft)).Length;
        var reduced = StreamingJson.SerializeToUtf8Bytes(PayloadReducer.Reduce(Message(fft), ResolutionRequest.NetworkDefault)).Length;

        Assert.True(full > 100_000, $"full {full} B");
        Assert.True(reduced < 3_000, $"reduced {reduced} B");
    }

    [Theory]
    [InlineData(1, 20, 20_000, SpectrumScale.Log, "fft_spectrum.points")]
    [InlineData(96, 0, 20_000, SpectrumScale.Log, "fft_spectrum.fmin")]
    [InlineData(96, 100, 50, SpectrumScale.Linear, "fft_spectrum.fmax")]
    public void Validate_BadSpectrumValue_NamesTheKey(int points, double fmin, double fmax, SpectrumScale scale, string key)
    {
        var error = new SpectrumResolution { Points = points, MinFrequencyHz = fmin, MaxFrequencyHz = fmax, Scale = scale }.Validate("fft_spectrum");
        Assert.NotNull(error);
        Assert.StartsWith(key, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OddScopePoints_NamesTheKey()
    {
        Assert.StartsWith("scope.points is 63", new ScopeResolution { Points = 63 }.Validate(), StringComparison.Ordinal);
        Assert.Null(ResolutionRequest.NetworkDefault.Validate());
    }

    [Fact]
    public void Serialize_Float32ValuedDouble_WritesTheShortestFloat32Text()
    {
        var pitch = new PitchData { FrequencyHz = 440.12, AmplitudeDb = -9.02925f, Confidence = 0.1 };
        var json = StreamingJson.SerializePayload(DataType.PitchTracker, pitch);
        Assert.Contains("\"frequency_hz\":440.12,", json, StringComparison.Ordinal);
        Assert.True(json.Contains("\"amplitude_db\":-9.02925,", StringComparison.Ordinal), json);
        Assert.Contains("\"confidence\":0.1,", json, StringComparison.Ordinal);
    }

    private static FftSpectrumData Spectrum(Func<int, float> levelDb)
    {
        var frequencies = new float[Bins];
        var db = new float[Bins];
        var linear = new float[Bins];
        for (var i = 0; i < Bins; i++)
        {
            frequencies[i] = (float)(i * (double)SampleRate / 8192);
            db[i] = levelDb(i);
            linear[i] = MathF.Pow(10, db[i] / 20);
        }

        return new FftSpectrumData
        {
            Frequencies = ImmutableArray.Create(frequencies),
            MagnitudesDb = ImmutableArray.Create(db),
            MagnitudesLinear = ImmutableArray.Create(linear),
            FftSize = 8192,
        };
    }

    private static StreamingData Message(StreamingPayload payload) =>
        new(new StreamingMetadata { DataType = DataType.FftSpectrum, Timestamp = DateTimeOffset.UnixEpoch, SequenceNumber = 5 }, payload);

    private static int IndexOfMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
