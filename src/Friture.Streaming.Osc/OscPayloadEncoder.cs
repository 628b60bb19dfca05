using System.Collections.Immutable;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Data;
using Friture.Streaming.Osc.Encoding;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Osc;

/// <summary>Maps each data type to its OSC address and arguments (the table in <c>docs/mqtt-osc.md</c>).</summary>
internal sealed class OscPayloadEncoder
{
    private readonly string _prefix;
    private readonly int _spectrumPoints;
    private readonly float[] _reduced;
    private readonly System.Text.StringBuilder _tags = new();
    private readonly bool _metadata;
    private readonly Dictionary<string, string> _withMetadata = new(StringComparer.Ordinal);

    /// <param name="prefix">The address prefix.</param>
    /// <param name="spectrumPoints">Log bands of spectra, 0 for the whole blob.</param>
    /// <param name="metadata">Whether each message ends with the metadata arguments <c>iii</c> (sequence number, stream time seconds and nanoseconds).</param>
    public OscPayloadEncoder(string prefix, int spectrumPoints, bool metadata = true)
    {
        _prefix = prefix;
        _spectrumPoints = spectrumPoints;
        _metadata = metadata;
        _reduced = new float[Math.Max(spectrumPoints, 1)];
    }

    /// <summary>The type tags the metadata adds at the end of every data message.</summary>
    public const string MetadataTags = "iii";

    public string AddressFor(DataType dataType) => _prefix + "/" + (BuiltInAnalyzers.Find(dataType)?.ShortName ?? dataType.Name);

    public void Write(OscWriter writer, StreamingData data)
    {
        var address = AddressFor(data.DataType);
        switch (data.Data)
        {
            case PitchData pitch:
                // OSC 1.0 has no nil: an unvoiced frame reads frequency 0 and an empty note.
                Begin(writer, address, ",ffs");
                writer.WriteFloat((float)(pitch.FrequencyHz ?? 0));
                writer.WriteFloat((float)pitch.Confidence);
                writer.WriteString(pitch.NoteName ?? string.Empty);
                break;
            case LevelsData levels:
                var channels = Math.Min(levels.PeakLevelsDb.Length, levels.RmsLevelsDb.Length);
                writer.BeginMessage(address, Tags("i", "ff", channels));
                writer.WriteInt(channels);
                for (var c = 0; c < channels; c++)
                {
                    writer.WriteFloat(levels.PeakLevelsDb[c]);
                    writer.WriteFloat(levels.RmsLevelsDb[c]);
                }

                break;
            case OctaveSpectrumData octave:
                writer.BeginMessage(address, Tags("if", "f", octave.BandEnergiesDb.Length));
                writer.WriteInt(octave.BandsPerOctave);
                writer.WriteFloat((float)octave.OverallLevel);
                foreach (var band in octave.BandEnergiesDb)
                {
                    writer.WriteFloat(band);
                }

                break;
            case FftSpectrumData fft:
                WriteSpectrum(writer, address, fft.Frequencies, fft.MagnitudesDb);
                break;
            case SpectrogramData column:
                WriteSpectrum(writer, address, column.Frequencies, column.MagnitudesDb);
                break;
            case DelayEstimatorData delay:
                Begin(writer, address, ",fffi");
                writer.WriteFloat((float)(delay.DelayMs ?? double.NaN)); // NaN: no coherent signal (null on JSON wires)
                writer.WriteFloat((float)delay.Confidence);
                writer.WriteFloat((float)(delay.DistanceM ?? double.NaN));
                writer.WriteInt((int)delay.Polarity);
                break;
            case ScopeData scope:
                var points = scope.Samples.IsDefaultOrEmpty ? 0 : scope.Samples[0].Length;
                Begin(writer, address, ",iib");
                writer.WriteInt(scope.Samples.Length);
                writer.WriteInt(points);
                var all = new float[scope.Samples.Length * points];
                for (var c = 0; c < scope.Samples.Length; c++)
                {
                    scope.Samples[c].AsSpan()[..Math.Min(points, scope.Samples[c].Length)].CopyTo(all.AsSpan(c * points));
                }

                writer.WriteFloatBlob(all);
                break;
            case LoudnessData loudness:
                // OSC 1.0 has no nil: a value that is null in JSON (not defined yet, gated out, silence) reads -200.
                Begin(writer, address, ",fffffffff");
                foreach (var value in (ReadOnlySpan<double?>)[loudness.MomentaryLufs, loudness.ShortTermLufs, loudness.IntegratedLufs,
                    loudness.LoudnessRangeLu, loudness.TruePeakDbtp, loudness.SamplePeakDbfs, loudness.MaxMomentaryLufs, loudness.MaxShortTermLufs])
                {
                    writer.WriteFloat((float)(value ?? Decibels.Floor));
                }

                writer.WriteFloat((float)loudness.DurationSeconds);
                break;
            default:
                Begin(writer, address, ",s");
                writer.WriteString(StreamingJson.SerializePayload(data.DataType, data.Data));
                break;
        }

        if (_metadata)
        {
            WriteMetadata(writer, data.Metadata);
        }
    }

    /// <summary>
    /// The trailing metadata arguments (<c>docs/mqtt-osc.md</c>, "Metadata arguments"): <c>sequence_number</c> (its low 32
    /// bits, two's complement), then <c>stream_time</c> as whole seconds and nanoseconds (0 to 999,999,999).
    /// </summary>
    internal static void WriteMetadata(OscWriter writer, StreamingMetadata metadata)
    {
        writer.WriteInt(unchecked((int)metadata.SequenceNumber));
        var (seconds, nanoseconds) = SplitStreamTime(metadata.StreamTime);
        writer.WriteInt(seconds);
        writer.WriteInt(nanoseconds);
    }

    /// <summary><c>stream_time</c> as whole seconds and nanoseconds, rounded to the nearest nanosecond; negative or non-finite times are 0.</summary>
    internal static (int Seconds, int Nanoseconds) SplitStreamTime(double streamTime)
    {
        if (!double.IsFinite(streamTime) || streamTime <= 0)
        {
            return (0, 0);
        }

        var seconds = Math.Floor(streamTime);
        if (seconds >= int.MaxValue)
        {
            return (int.MaxValue, 999_999_999);
        }

        var nanoseconds = Math.Round((streamTime - seconds) * 1e9);
        if (nanoseconds >= 1e9)
        {
            seconds++;
            nanoseconds -= 1e9;
        }

        return ((int)seconds, (int)nanoseconds);
    }

    /// <summary>
    /// Reduced: <c>,iff</c> + N×<c>f</c> = N, lowest and highest frequency (Hz), then the highest level (dBFS) in each of N
    /// log-spaced bands. Whole (<c>SpectrumPoints</c> = 0): <c>,iffb</c> = bin count, first and last frequency, blob of float32.
    /// </summary>
    private void WriteSpectrum(OscWriter writer, string address, ImmutableArray<float> frequencies, ImmutableArray<float> levels)
    {
        var count = Math.Min(frequencies.Length, levels.Length);
        if (_spectrumPoints == 0 || count == 0)
        {
            Begin(writer, address, ",iffb");
            writer.WriteInt(count);
            writer.WriteFloat(count > 0 ? frequencies[0] : 0);
            writer.WriteFloat(count > 0 ? frequencies[count - 1] : 0);
            writer.WriteFloatBlob(levels.AsSpan()[..count]);
            return;
        }

        var first = 0;
        while (first < count - 1 && frequencies[first] <= 0)
        {
            first++;
        }

        var low = frequencies[first];
        var high = Math.Max(frequencies[count - 1], low * 1.0001f);
        var n = _spectrumPoints;
        var ratio = Math.Log(high / low);
        var bin = first;
        for (var k = 0; k < n; k++)
        {
            var upper = k == n - 1 ? double.PositiveInfinity : low * Math.Exp(ratio * (k + 1) / n);
            var max = float.NegativeInfinity;
            while (bin < count && frequencies[bin] < upper)
            {
                max = Math.Max(max, levels[bin]);
                bin++;
            }

            if (float.IsNegativeInfinity(max))
            {
                // A band narrower than a bin: the level of the bin nearest its centre.
                var centre = low * Math.Exp(ratio * (k + 0.5) / n);
                var nearest = Math.Clamp(bin, first, count - 1);
                if (nearest > first && Math.Abs(frequencies[nearest - 1] - centre) < Math.Abs(frequencies[nearest] - centre))
                {
                    nearest--;
                }

                max = levels[nearest];
            }

            _reduced[k] = max;
        }

        writer.BeginMessage(address, Tags("iff", "f", n));
        writer.WriteInt(n);
        writer.WriteFloat(low);
        writer.WriteFloat(high);
        foreach (var value in _reduced.AsSpan(0, n))
        {
            writer.WriteFloat(value);
        }
    }

    private string Tags(string head, string repeated, int count)
    {
        _tags.Clear().Append(',').Append(head);
        for (var i = 0; i < count; i++)
        {
            _tags.Append(repeated);
        }

        if (_metadata)
        {
            _tags.Append(MetadataTags);
        }

        return _tags.ToString();
    }

    /// <summary>Starts a message with constant type tags, the metadata tags appended (variable tags get them in <see cref="Tags"/>).</summary>
    private void Begin(OscWriter writer, string address, string tags)
    {
        if (_metadata)
        {
            if (!_withMetadata.TryGetValue(tags, out var full))
            {
                _withMetadata[tags] = full = tags + MetadataTags;
            }

            tags = full;
        }

        writer.BeginMessage(address, tags);
    }
}
