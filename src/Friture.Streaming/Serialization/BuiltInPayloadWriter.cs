using System.Collections.Immutable;
using System.Text.Json;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization;

/// <summary>
/// The built-in payloads written by hand: byte for byte what the generated metadata-mode serializer writes for them with
/// <see cref="PayloadJsonContext"/> (same snake_case names in declaration order, nulls written, doubles through
/// <see cref="CompactDoubleJsonConverter"/>, arrays through the same array converters, the polarity as its wire name),
/// without the serializer's per-property dispatch (ObjectDefaultConverter, JsonPropertyInfo, nullable wrappers), which
/// measured about 40% of the JSON encoding's CPU. Any other payload, including a user-registered type, goes to the
/// serializer as before. <c>EncoderEquivalenceTests</c> compares both with the encoder kept in tests/Shared.
/// </summary>
internal static class BuiltInPayloadWriter
{
    // pitch_tracker
    private static readonly JsonEncodedText FrequencyHz = JsonEncodedText.Encode("frequency_hz");
    private static readonly JsonEncodedText Confidence = JsonEncodedText.Encode("confidence");
    private static readonly JsonEncodedText NoteName = JsonEncodedText.Encode("note_name");
    private static readonly JsonEncodedText CentsOffset = JsonEncodedText.Encode("cents_offset");
    private static readonly JsonEncodedText AmplitudeDb = JsonEncodedText.Encode("amplitude_db");
    private static readonly JsonEncodedText HarmonicClarity = JsonEncodedText.Encode("harmonic_clarity");
    private static readonly JsonEncodedText ReferenceA4Hz = JsonEncodedText.Encode("reference_a4_hz");

    // fft_spectrum, spectrogram
    private static readonly JsonEncodedText Frequencies = JsonEncodedText.Encode("frequencies");
    private static readonly JsonEncodedText MagnitudesLinear = JsonEncodedText.Encode("magnitudes_linear");
    private static readonly JsonEncodedText MagnitudesDb = JsonEncodedText.Encode("magnitudes_db");
    private static readonly JsonEncodedText Phases = JsonEncodedText.Encode("phases");
    private static readonly JsonEncodedText FftSize = JsonEncodedText.Encode("fft_size");
    private static readonly JsonEncodedText WindowType = JsonEncodedText.Encode("window_type");
    private static readonly JsonEncodedText OverlapFactor = JsonEncodedText.Encode("overlap_factor");
    private static readonly JsonEncodedText Weighting = JsonEncodedText.Encode("weighting");
    private static readonly JsonEncodedText ResponseTime = JsonEncodedText.Encode("response_time");
    private static readonly JsonEncodedText PeakFrequency = JsonEncodedText.Encode("peak_frequency");
    private static readonly JsonEncodedText PeakMagnitude = JsonEncodedText.Encode("peak_magnitude");
    private static readonly JsonEncodedText FrequencyScale = JsonEncodedText.Encode("frequency_scale");
    private static readonly JsonEncodedText MinFrequency = JsonEncodedText.Encode("min_frequency");
    private static readonly JsonEncodedText MaxFrequency = JsonEncodedText.Encode("max_frequency");

    // octave_spectrum
    private static readonly JsonEncodedText CenterFrequencies = JsonEncodedText.Encode("center_frequencies");
    private static readonly JsonEncodedText LowerFrequencies = JsonEncodedText.Encode("lower_frequencies");
    private static readonly JsonEncodedText UpperFrequencies = JsonEncodedText.Encode("upper_frequencies");
    private static readonly JsonEncodedText BandEnergiesDb = JsonEncodedText.Encode("band_energies_db");
    private static readonly JsonEncodedText BandLabels = JsonEncodedText.Encode("band_labels");
    private static readonly JsonEncodedText BandsPerOctave = JsonEncodedText.Encode("bands_per_octave");
    private static readonly JsonEncodedText OverallLevel = JsonEncodedText.Encode("overall_level");

    // levels
    private static readonly JsonEncodedText PeakLevelsDb = JsonEncodedText.Encode("peak_levels_db");
    private static readonly JsonEncodedText RmsLevelsDb = JsonEncodedText.Encode("rms_levels_db");
    private static readonly JsonEncodedText PeakHoldLevelsDb = JsonEncodedText.Encode("peak_hold_levels_db");
    private static readonly JsonEncodedText LeqLevelsDb = JsonEncodedText.Encode("leq_levels_db");
    private static readonly JsonEncodedText MaxLevelsDb = JsonEncodedText.Encode("max_levels_db");
    private static readonly JsonEncodedText ChannelLabels = JsonEncodedText.Encode("channel_labels");
    private static readonly JsonEncodedText IntegrationTime = JsonEncodedText.Encode("integration_time");
    private static readonly JsonEncodedText PeakHoldTime = JsonEncodedText.Encode("peak_hold_time");

    // delay_estimator
    private static readonly JsonEncodedText DelayMs = JsonEncodedText.Encode("delay_ms");
    private static readonly JsonEncodedText DelaySamples = JsonEncodedText.Encode("delay_samples");
    private static readonly JsonEncodedText CorrelationPeak = JsonEncodedText.Encode("correlation_peak");
    private static readonly JsonEncodedText PolarityName = JsonEncodedText.Encode("polarity");
    private static readonly JsonEncodedText DistanceM = JsonEncodedText.Encode("distance_m");
    private static readonly JsonEncodedText InactiveReason = JsonEncodedText.Encode("inactive_reason");
    private static readonly JsonEncodedText PolarityUnknown = JsonEncodedText.Encode("unknown");
    private static readonly JsonEncodedText PolarityInPhase = JsonEncodedText.Encode("in_phase");
    private static readonly JsonEncodedText PolarityReversed = JsonEncodedText.Encode("reversed");

    // scope
    private static readonly JsonEncodedText Times = JsonEncodedText.Encode("times");
    private static readonly JsonEncodedText Samples = JsonEncodedText.Encode("samples");
    private static readonly JsonEncodedText WindowSeconds = JsonEncodedText.Encode("window_seconds");
    private static readonly JsonEncodedText Triggered = JsonEncodedText.Encode("triggered");
    private static readonly JsonEncodedText Reduced = JsonEncodedText.Encode("reduced");

    // loudness
    private static readonly JsonEncodedText MomentaryLufs = JsonEncodedText.Encode("momentary_lufs");
    private static readonly JsonEncodedText ShortTermLufs = JsonEncodedText.Encode("short_term_lufs");
    private static readonly JsonEncodedText IntegratedLufs = JsonEncodedText.Encode("integrated_lufs");
    private static readonly JsonEncodedText LoudnessRangeLu = JsonEncodedText.Encode("loudness_range_lu");
    private static readonly JsonEncodedText TruePeakDbtp = JsonEncodedText.Encode("true_peak_dbtp");
    private static readonly JsonEncodedText SamplePeakDbfs = JsonEncodedText.Encode("sample_peak_dbfs");
    private static readonly JsonEncodedText MaxMomentaryLufs = JsonEncodedText.Encode("max_momentary_lufs");
    private static readonly JsonEncodedText MaxShortTermLufs = JsonEncodedText.Encode("max_short_term_lufs");
    private static readonly JsonEncodedText DurationS = JsonEncodedText.Encode("duration_s");
    private static readonly JsonEncodedText TruePeakDbtpPerChannel = JsonEncodedText.Encode("true_peak_dbtp_per_channel");
    private static readonly JsonEncodedText SamplePeakDbfsPerChannel = JsonEncodedText.Encode("sample_peak_dbfs_per_channel");

    /// <summary>
    /// Writes <paramref name="payload"/> when it is a built-in payload of the built-in <paramref name="dataType"/> that
    /// carries it; false (nothing written) for anything else, which the caller hands to the serializer.
    /// </summary>
    public static bool TryWrite(Utf8JsonWriter writer, DataType dataType, StreamingPayload payload)
    {
        if (!dataType.IsBuiltIn)
        {
            return false;
        }

        switch (payload)
        {
            case FftSpectrumData fft when ReferenceEquals(dataType, DataType.FftSpectrum):
                Write(writer, fft);
                return true;
            case LevelsData levels when ReferenceEquals(dataType, DataType.Levels):
                Write(writer, levels);
                return true;
            case ScopeData scope when ReferenceEquals(dataType, DataType.Scope):
                Write(writer, scope);
                return true;
            case PitchData pitch when ReferenceEquals(dataType, DataType.PitchTracker):
                Write(writer, pitch);
                return true;
            case SpectrogramData spectrogram when ReferenceEquals(dataType, DataType.Spectrogram):
                Write(writer, spectrogram);
                return true;
            case OctaveSpectrumData octave when ReferenceEquals(dataType, DataType.OctaveSpectrum):
                Write(writer, octave);
                return true;
            case LoudnessData loudness when ReferenceEquals(dataType, DataType.Loudness):
                Write(writer, loudness);
                return true;
            case DelayEstimatorData delay when ReferenceEquals(dataType, DataType.DelayEstimator):
                Write(writer, delay);
                return true;
            default:
                return false;
        }
    }

    private static void Write(Utf8JsonWriter writer, PitchData value)
    {
        writer.WriteStartObject();
        Number(writer, FrequencyHz, value.FrequencyHz);
        Number(writer, Confidence, value.Confidence);
        writer.WriteString(NoteName, value.NoteName);
        Number(writer, CentsOffset, value.CentsOffset);
        Number(writer, AmplitudeDb, value.AmplitudeDb);
        Number(writer, HarmonicClarity, value.HarmonicClarity);
        Number(writer, ReferenceA4Hz, value.ReferenceA4Hz);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, FftSpectrumData value)
    {
        writer.WriteStartObject();
        Floats(writer, Frequencies, value.Frequencies, FloatTextCache.Slot.FftFrequencies);
        Floats(writer, MagnitudesLinear, value.MagnitudesLinear);
        Floats(writer, MagnitudesDb, value.MagnitudesDb);
        writer.WritePropertyName(Phases);
        if (value.Phases is { } phases)
        {
            FloatArrayJsonConverter.WriteValue(writer, phases);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteNumber(FftSize, value.FftSize);
        writer.WriteString(WindowType, value.WindowType);
        Number(writer, OverlapFactor, value.OverlapFactor);
        writer.WriteString(Weighting, value.Weighting);
        Number(writer, ResponseTime, value.ResponseTime);
        Number(writer, PeakFrequency, value.PeakFrequency);
        Number(writer, PeakMagnitude, value.PeakMagnitude);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, OctaveSpectrumData value)
    {
        writer.WriteStartObject();
        Floats(writer, CenterFrequencies, value.CenterFrequencies, FloatTextCache.Slot.OctaveCenters);
        Floats(writer, LowerFrequencies, value.LowerFrequencies, FloatTextCache.Slot.OctaveLower);
        Floats(writer, UpperFrequencies, value.UpperFrequencies, FloatTextCache.Slot.OctaveUpper);
        Floats(writer, BandEnergiesDb, value.BandEnergiesDb);
        Strings(writer, BandLabels, value.BandLabels);
        writer.WriteNumber(BandsPerOctave, value.BandsPerOctave);
        writer.WriteString(Weighting, value.Weighting);
        Number(writer, ResponseTime, value.ResponseTime);
        Number(writer, OverallLevel, value.OverallLevel);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, SpectrogramData value)
    {
        writer.WriteStartObject();
        Floats(writer, Frequencies, value.Frequencies, FloatTextCache.Slot.SpectrogramFrequencies);
        Floats(writer, MagnitudesDb, value.MagnitudesDb);
        writer.WriteNumber(FftSize, value.FftSize);
        Number(writer, OverlapFactor, value.OverlapFactor);
        writer.WriteString(FrequencyScale, value.FrequencyScale);
        Number(writer, MinFrequency, value.MinFrequency);
        Number(writer, MaxFrequency, value.MaxFrequency);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, LevelsData value)
    {
        writer.WriteStartObject();
        Floats(writer, PeakLevelsDb, value.PeakLevelsDb);
        Floats(writer, RmsLevelsDb, value.RmsLevelsDb);
        Floats(writer, PeakHoldLevelsDb, value.PeakHoldLevelsDb);
        Floats(writer, LeqLevelsDb, value.LeqLevelsDb);
        Floats(writer, MaxLevelsDb, value.MaxLevelsDb);
        Strings(writer, ChannelLabels, value.ChannelLabels);
        writer.WriteString(Weighting, value.Weighting);
        Number(writer, IntegrationTime, value.IntegrationTime);
        Number(writer, PeakHoldTime, value.PeakHoldTime);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, DelayEstimatorData value)
    {
        writer.WriteStartObject();
        Number(writer, DelayMs, value.DelayMs);
        Number(writer, DelaySamples, value.DelaySamples);
        Number(writer, Confidence, value.Confidence);
        Number(writer, CorrelationPeak, value.CorrelationPeak);
        switch (value.Polarity)
        {
            case Polarity.Unknown:
                writer.WriteString(PolarityName, PolarityUnknown);
                break;
            case Polarity.InPhase:
                writer.WriteString(PolarityName, PolarityInPhase);
                break;
            case Polarity.Reversed:
                writer.WriteString(PolarityName, PolarityReversed);
                break;
            default:
                // A value outside the enum: whatever the serializer's string enum converter does with it.
                writer.WritePropertyName(PolarityName);
                JsonSerializer.Serialize(writer, value.Polarity, PayloadJsonContext.Default.Polarity);
                break;
        }

        Number(writer, DistanceM, value.DistanceM);
        writer.WriteString(InactiveReason, value.InactiveReason);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, ScopeData value)
    {
        writer.WriteStartObject();
        Floats(writer, Times, value.Times, FloatTextCache.Slot.ScopeTimes);
        writer.WritePropertyName(Samples);
        FloatMatrixJsonConverter.WriteValue(writer, value.Samples);
        Strings(writer, ChannelLabels, value.ChannelLabels);
        Number(writer, WindowSeconds, value.WindowSeconds);
        writer.WriteBoolean(Triggered, value.Triggered);
        writer.WriteBoolean(Reduced, value.Reduced);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, LoudnessData value)
    {
        writer.WriteStartObject();
        Number(writer, MomentaryLufs, value.MomentaryLufs);
        Number(writer, ShortTermLufs, value.ShortTermLufs);
        Number(writer, IntegratedLufs, value.IntegratedLufs);
        Number(writer, LoudnessRangeLu, value.LoudnessRangeLu);
        Number(writer, TruePeakDbtp, value.TruePeakDbtp);
        Number(writer, SamplePeakDbfs, value.SamplePeakDbfs);
        Number(writer, MaxMomentaryLufs, value.MaxMomentaryLufs);
        Number(writer, MaxShortTermLufs, value.MaxShortTermLufs);
        Number(writer, DurationS, value.DurationSeconds);
        writer.WritePropertyName(TruePeakDbtpPerChannel);
        NullableFloatArrayJsonConverter.WriteValue(writer, value.TruePeakDbtpPerChannel);
        writer.WritePropertyName(SamplePeakDbfsPerChannel);
        NullableFloatArrayJsonConverter.WriteValue(writer, value.SamplePeakDbfsPerChannel);
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        writer.WritePropertyName(name);
        CompactDoubleJsonConverter.WriteValue(writer, value);
    }

    private static void Number(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        writer.WritePropertyName(name);
        if (value is { } number)
        {
            CompactDoubleJsonConverter.WriteValue(writer, number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void Floats(Utf8JsonWriter writer, JsonEncodedText name, ImmutableArray<float> values)
    {
        writer.WritePropertyName(name);
        FloatArrayJsonConverter.WriteValue(writer, values);
    }

    private static void Floats(Utf8JsonWriter writer, JsonEncodedText name, ImmutableArray<float> values, FloatTextCache.Slot slot)
    {
        writer.WritePropertyName(name);
        FloatArrayJsonConverter.WriteValue(writer, values, slot);
    }

    private static void Strings(Utf8JsonWriter writer, JsonEncodedText name, ImmutableArray<string> values)
    {
        writer.WritePropertyName(name);
        StringArrayJsonConverter.WriteValue(writer, values);
    }
}
