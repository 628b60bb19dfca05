using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.Scope;

/// <summary>
/// Oscilloscope (Friture's "Scope" dock): the samples of every channel over a time window, aligned on a rising-edge
/// trigger or free-running, optionally reduced to fewer points while keeping minima and maxima.
/// </summary>
/// <remarks>
/// <para>
/// Samples are in full-scale units. With a trigger, time 0 is the first sample at or above the trigger level after a
/// sample below it, placed in the middle of the window (times run from -Window/2 to +Window/2); the latest such crossing
/// with half a window of audio after it is used. Free-running windows end at the latest sample and their times start at 0.
/// </para>
/// <para>
/// Cost: <see cref="ProcessBlock"/> only copies the block into a history of two windows (allocated in
/// <see cref="Initialize"/>, no allocation per block); the trigger search and the payload are built in
/// <see cref="ExtractData"/>, which runs only when the rate limiter lets a message through.
/// </para>
/// </remarks>
public sealed class ScopeProducer : DataProducer
{
    private readonly ScopeOptions _options;
    private AudioFormat _format;
    private float[] _history = [];
    private int _capacity;
    private int _windowFrames;
    private long _written;
    private double _resultTime;
    private ImmutableArray<string> _labels = [];
    private bool _initialized;

    /// <summary>Creates the producer with default options.</summary>
    public ScopeProducer()
        : this(new ScopeOptions())
    {
    }

    /// <summary>Creates the producer.</summary>
    /// <param name="options">Settings; validated now and copied.</param>
    /// <param name="producerId">Optional producer identifier.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ScopeProducer(ScopeOptions options, string? producerId = null)
        : base(producerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public ScopeOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.Scope;

    /// <inheritdoc/>
    protected internal override double? ResultStreamTime => _resultTime;

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _options.TriggerChannel.Validate(format, nameof(ScopeOptions.TriggerChannel));
        _format = format;
        _windowFrames = Math.Max(2, (int)Math.Round(_options.WindowSeconds * format.SampleRate));
        _capacity = 2 * _windowFrames;
        _history = new float[_capacity * format.Channels];
        _written = 0;
        var labels = new string[format.Channels];
        for (var c = 0; c < labels.Length; c++)
        {
            labels[c] = "ch" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _labels = ImmutableCollectionsMarshal.AsImmutableArray(labels);
        _initialized = true;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        if (!_initialized || block.Format != _format)
        {
            Initialize(block.Format);
        }

        var channels = _format.Channels;
        var samples = block.Samples;
        var frames = block.FrameCount;
        if (frames > _capacity)
        {
            samples = samples[((frames - _capacity) * channels)..];
            _written += frames - _capacity;
            frames = _capacity;
        }

        var position = (int)(_written % _capacity);
        var first = Math.Min(frames, _capacity - position);
        samples[..(first * channels)].CopyTo(_history.AsSpan(position * channels));
        samples[(first * channels)..].CopyTo(_history);
        _written += frames;
        return _written >= _windowFrames;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (!_initialized || _written < _windowFrames)
        {
            return null;
        }

        var channels = _format.Channels;
        var w = _windowFrames;
        var end = _written;
        var start = end - w;
        var triggered = false;
        long origin = start;
        if (_options.TriggerMode == ScopeTriggerMode.RisingEdge && FindTrigger(out var trigger))
        {
            triggered = true;
            origin = trigger;
            start = trigger - (w / 2);
        }

        var reduce = _options.MaxPoints > 0 && w > _options.MaxPoints;
        var points = reduce ? 2 * (_options.MaxPoints / 2) : w;
        var times = new float[points];
        var data = new ImmutableArray<float>[channels];
        double fs = _format.SampleRate;
        if (!reduce)
        {
            for (var i = 0; i < w; i++)
            {
                times[i] = (float)((start + i - origin) / fs);
            }

            for (var c = 0; c < channels; c++)
            {
                var values = new float[w];
                for (var i = 0; i < w; i++)
                {
                    values[i] = Sample(start + i, c);
                }

                data[c] = ImmutableCollectionsMarshal.AsImmutableArray(values);
            }
        }
        else
        {
            var slices = points / 2;
            for (var j = 0; j < slices; j++)
            {
                var from = start + ((long)j * w / slices);
                var to = start + ((long)(j + 1) * w / slices);
                times[2 * j] = (float)((from + (0.25 * (to - from)) - origin) / fs);
                times[(2 * j) + 1] = (float)((from + (0.75 * (to - from)) - origin) / fs);
            }

            for (var c = 0; c < channels; c++)
            {
                var values = new float[points];
                for (var j = 0; j < slices; j++)
                {
                    var from = start + ((long)j * w / slices);
                    var to = start + ((long)(j + 1) * w / slices);
                    long minAt = from, maxAt = from;
                    float min = Sample(from, c), max = min;
                    for (var n = from + 1; n < to; n++)
                    {
                        var v = Sample(n, c);
                        if (v < min)
                        {
                            min = v;
                            minAt = n;
                        }

                        if (v > max)
                        {
                            max = v;
                            maxAt = n;
                        }
                    }

                    // Keep the two extremes in the order they happened, so the waveform's shape is preserved.
                    (values[2 * j], values[(2 * j) + 1]) = minAt <= maxAt ? (min, max) : (max, min);
                }

                data[c] = ImmutableCollectionsMarshal.AsImmutableArray(values);
            }
        }

        _resultTime = (start + w) / fs;
        return new ScopeData
        {
            Times = ImmutableCollectionsMarshal.AsImmutableArray(times),
            Samples = ImmutableCollectionsMarshal.AsImmutableArray(data),
            ChannelLabels = _labels,
            WindowSeconds = w / fs,
            Triggered = triggered,
            Reduced = reduce,
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset()
    {
        _written = 0;
    }

    private float Sample(long frame, int channel) => _history[((int)(frame % _capacity) * _format.Channels) + channel];

    private float TriggerSample(long frame)
    {
        var selection = _options.TriggerChannel;
        if (!selection.IsMonoSum)
        {
            return Sample(frame, selection.Channel - 1);
        }

        var sum = 0f;
        for (var c = 0; c < _format.Channels; c++)
        {
            sum += Sample(frame, c);
        }

        return sum / _format.Channels;
    }

    private bool FindTrigger(out long trigger)
    {
        var half = _windowFrames / 2;
        var oldest = Math.Max(0, _written - _capacity);
        var lo = oldest + half;
        var hi = _written - (_windowFrames - half);
        trigger = 0;
        if (hi <= lo)
        {
            return false;
        }

        double level;
        if (_options.TriggerLevel is { } fixedLevel)
        {
            level = fixedLevel;
        }
        else
        {
            var max = 0f;
            for (var n = oldest; n < _written; n++)
            {
                max = Math.Max(max, Math.Abs(TriggerSample(n)));
            }

            if (max <= 0)
            {
                return false;
            }

            level = 2.0 / 3.0 * max;
        }

        var next = TriggerSample(hi);
        for (var n = hi; n > lo; n--)
        {
            var previous = TriggerSample(n - 1);
            if (previous < level && next >= level)
            {
                trigger = n;
                return true;
            }

            next = previous;
        }

        return false;
    }
}
