using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Pitch;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.PitchTracker;

/// <summary>
/// Fundamental frequency, note and confidence (<see cref="DataType.PitchTracker"/>) from the YIN method.
/// </summary>
/// <remarks>
/// <para>
/// Every <see cref="PitchTrackerOptions.HopSeconds"/> the latest frame (an integration window of at least 25 ms and one
/// longest period, plus one longest period) is analysed by YIN (see <c>docs/analyzers-bands.md</c> for why YIN rather
/// than Friture's SWIPE). A frame is voiced when its RMS reaches <see cref="PitchTrackerOptions.MinLevelDb"/> and its
/// confidence (1 minus YIN's aperiodicity, scaled down when the period is ambiguous) reaches <see cref="PitchTrackerOptions.ConfidenceThreshold"/>; otherwise
/// <c>frequency_hz</c>, <c>note_name</c> and <c>cents_offset</c> are null. <c>amplitude_db</c> is the frame RMS in dBFS;
/// <c>harmonic_clarity</c> is the normalised autocorrelation at the period (the periodic share of the power).
/// </para>
/// <para>Allocation: buffers in <see cref="Initialize"/>; <see cref="ProcessBlock"/> allocates nothing.</para>
/// </remarks>
public sealed class PitchTrackerProducer : DataProducer
{
    private static readonly string[] NoteNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    private readonly PitchTrackerOptions _options;
    private YinPitchDetector? _detector;
    private float[] _history = [];
    private float[] _frame = [];
    private float[] _mono = [];
    private int _write;
    private long _filled;
    private int _sinceEstimate;
    private int _hop;
    private int _sampleRate;
    private long _framesSeen;
    private PitchEstimate _last;
    private double _resultTime;

    /// <summary>Creates a producer with default settings (65 to 1047 Hz, A4 = 440 Hz).</summary>
    public PitchTrackerProducer()
        : this(new PitchTrackerOptions())
    {
    }

    /// <summary>Creates a producer.</summary>
    /// <param name="options">The settings; copied and validated here.</param>
    /// <param name="producerId">Identifier for metadata, or <see langword="null"/> for a generated one.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public PitchTrackerProducer(PitchTrackerOptions options, string? producerId = null)
        : base(producerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public PitchTrackerOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.PitchTracker;

    /// <inheritdoc/>
    protected internal override double? ResultStreamTime => _resultTime;

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _options.Channel.Validate(format, nameof(PitchTrackerOptions.Channel));
        _sampleRate = format.SampleRate;
        _detector = new YinPitchDetector(format.SampleRate, _options.MinFrequencyHz, _options.MaxFrequencyHz);
        _history = new float[_detector.FrameLength];
        _frame = new float[_detector.FrameLength];
        _mono = new float[Math.Max(_mono.Length, 4096)];
        _hop = Math.Max(1, (int)Math.Round(_options.HopSeconds * format.SampleRate));
        _write = 0;
        _filled = 0;
        _sinceEstimate = 0;
        _framesSeen = 0;
        _last = default;
        _resultTime = 0;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        var detector = _detector;
        if (detector is null || block.Format.SampleRate != _sampleRate)
        {
            Initialize(block.Format);
            detector = _detector!;
        }

        var frames = block.FrameCount;
        if (_mono.Length < frames)
        {
            _mono = new float[frames];
        }

        var mono = _mono.AsSpan(0, frames);
        _options.Channel.Extract(block.Samples, block.Format.Channels, mono);
        _framesSeen = block.FirstFrameIndex;
        var ready = false;
        var history = _history;
        var i = 0;
        while (i < frames)
        {
            // Copy up to the sample at which the next estimate is due (a hop since the last one and a full history).
            var due = Math.Max(1, Math.Max(_hop - _sinceEstimate, history.Length - _filled));
            var n = (int)Math.Min(Math.Min(frames - i, due), history.Length - _write);
            mono.Slice(i, n).CopyTo(history.AsSpan(_write));
            _write = _write + n == history.Length ? 0 : _write + n;
            _filled += n;
            _sinceEstimate += n;
            i += n;
            if (_sinceEstimate >= _hop && _filled >= history.Length)
            {
                _sinceEstimate = 0;
                var older = history.Length - _write;
                history.AsSpan(_write).CopyTo(_frame);
                history.AsSpan(0, _write).CopyTo(_frame.AsSpan(older));
                _last = detector.Estimate(_frame);
                _resultTime = (double)(_framesSeen + i) / _sampleRate;
                ready = true;
            }
        }

        return ready;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (_detector is null)
        {
            return null;
        }

        var e = _last;
        var amplitudeDb = (double)Decibels.FromAmplitude(e.RmsLevel);
        var voiced = e.FrequencyHz > 0 && amplitudeDb >= _options.MinLevelDb && e.Confidence >= _options.ConfidenceThreshold;
        string? note = null;
        double? cents = null;
        if (voiced)
        {
            var midi = 69 + (12 * Math.Log2(e.FrequencyHz / _options.ReferenceA4Hz));
            var nearest = (int)Math.Round(midi);
            cents = 100 * (midi - nearest);
            var octave = (int)Math.Floor(nearest / 12.0) - 1;
            note = string.Concat(NoteNames[((nearest % 12) + 12) % 12], octave.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new PitchData
        {
            FrequencyHz = voiced ? e.FrequencyHz : null,
            Confidence = e.Confidence,
            NoteName = note,
            CentsOffset = cents,
            AmplitudeDb = amplitudeDb,
            HarmonicClarity = e.Clarity,
            ReferenceA4Hz = _options.ReferenceA4Hz,
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset()
    {
        if (_detector is not null)
        {
            Array.Clear(_history);
            _write = 0;
            _filled = 0;
            _sinceEstimate = 0;
            _last = default;
        }
    }
}
