using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Common;
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
/// Cost: <see cref="ProcessBlock"/> only copies the block into a per-channel history of two windows (allocated in
/// <see cref="Initialize"/>, no allocation per block); the trigger search and the payload are built in
/// <see cref="ExtractData"/>, which runs only when the rate limiter lets a message through. The time axis depends only
/// on the window and on whether the window is triggered, so it is built once and shared by every payload.
/// </para>
/// </remarks>
public sealed class ScopeProducer : DataProducer
{
    private readonly ScopeOptions _options;
    private AudioFormat _format;
    private float[][] _history = [];
    private ChannelSelection[] _channels = [];
    private float[] _trigger = [];
    private float[] _scratch = [];
    private int _capacity;
    private int _windowFrames;
    private long _written;
    private double _resultTime;
    private ImmutableArray<string> _labels = [];
    private ImmutableArray<float> _freeRunningTimes = [];
    private ImmutableArray<float> _triggeredTimes = [];
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
        _history = new float[format.Channels][];
        _channels = new ChannelSelection[format.Channels];
        for (var c = 0; c < _history.Length; c++)
        {
            _history[c] = new float[_capacity];
            _channels[c] = ChannelSelection.FromChannel(c + 1);
        }

        // The trigger reads its channel's ring; only a mono sum of several channels needs a ring of its own.
        var selection = _options.TriggerChannel;
        _trigger = !selection.IsMonoSum ? _history[selection.Channel - 1]
            : format.Channels == 1 ? _history[0]
            : new float[_capacity];
        _scratch = new float[_windowFrames];
        _written = 0;
        var labels = new string[format.Channels];
        for (var c = 0; c < labels.Length; c++)
        {
            labels[c] = "ch" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _labels = ImmutableCollectionsMarshal.AsImmutableArray(labels);
        _freeRunningTimes = BuildTimes(0);
        _triggeredTimes = BuildTimes(-(_windowFrames / 2));
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
        Store(samples[..(first * channels)], position);
        Store(samples[(first * channels)..], 0);
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
        var start = _written - w;
        var triggered = false;
        if (_options.TriggerMode == ScopeTriggerMode.RisingEdge && FindTrigger(out var trigger))
        {
            triggered = true;
            start = trigger - (w / 2);
        }

        var reduce = _options.MaxPoints > 0 && w > _options.MaxPoints;
        var data = new ImmutableArray<float>[channels];
        for (var c = 0; c < channels; c++)
        {
            if (!reduce)
            {
                var values = GC.AllocateUninitializedArray<float>(w); // filled by CopyWindow
                CopyWindow(_history[c], start, values);
                data[c] = ImmutableCollectionsMarshal.AsImmutableArray(values);
                continue;
            }

            var window = _scratch.AsSpan(0, w);
            CopyWindow(_history[c], start, window);
            data[c] = ImmutableCollectionsMarshal.AsImmutableArray(Reduce(window, _options.MaxPoints / 2));
        }

        double fs = _format.SampleRate;
        _resultTime = (start + w) / fs;
        return new ScopeData
        {
            Times = triggered ? _triggeredTimes : _freeRunningTimes,
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

    /// <summary>Minimum and maximum of each of <paramref name="slices"/> equal slices, in the order they occur.</summary>
    private static float[] Reduce(ReadOnlySpan<float> window, int slices)
    {
        var w = window.Length;
        var values = GC.AllocateUninitializedArray<float>(2 * slices); // every pair is written
        for (var j = 0; j < slices; j++)
        {
            var from = (int)((long)j * w / slices);
            var to = (int)((long)(j + 1) * w / slices);
            var slice = window[from..to];
            var minAt = 0;
            var maxAt = 0;
            for (var n = 1; n < slice.Length; n++)
            {
                if (slice[n] < slice[minAt])
                {
                    minAt = n;
                }

                if (slice[n] > slice[maxAt])
                {
                    maxAt = n;
                }
            }

            // Keep the two extremes in the order they happened, so the waveform's shape is preserved.
            (values[2 * j], values[(2 * j) + 1]) = minAt <= maxAt ? (slice[minAt], slice[maxAt]) : (slice[maxAt], slice[minAt]);
        }

        return values;
    }

    /// <summary>The time axis of a window whose first sample is <paramref name="firstOffset"/> frames from time 0.</summary>
    private ImmutableArray<float> BuildTimes(int firstOffset)
    {
        var w = _windowFrames;
        double fs = _format.SampleRate;
        var reduce = _options.MaxPoints > 0 && w > _options.MaxPoints;
        if (!reduce)
        {
            var times = new float[w];
            for (var i = 0; i < w; i++)
            {
                times[i] = (float)((firstOffset + i) / fs);
            }

            return ImmutableCollectionsMarshal.AsImmutableArray(times);
        }

        var slices = _options.MaxPoints / 2;
        var reduced = new float[2 * slices];
        for (var j = 0; j < slices; j++)
        {
            var from = (long)j * w / slices;
            var to = (long)(j + 1) * w / slices;
            reduced[2 * j] = (float)((firstOffset + from + (0.25 * (to - from))) / fs);
            reduced[(2 * j) + 1] = (float)((firstOffset + from + (0.75 * (to - from))) / fs);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(reduced);
    }

    /// <summary>Deinterleaves <paramref name="interleaved"/> into the per-channel rings at <paramref name="position"/>.</summary>
    private void Store(ReadOnlySpan<float> interleaved, int position)
    {
        var channels = _format.Channels;
        var frames = interleaved.Length / channels;
        if (frames == 0)
        {
            return;
        }

        for (var c = 0; c < channels; c++)
        {
            _channels[c].Extract(interleaved, channels, _history[c].AsSpan(position, frames));
        }

        if (channels > 1 && _options.TriggerChannel.IsMonoSum)
        {
            _options.TriggerChannel.Extract(interleaved, channels, _trigger.AsSpan(position, frames));
        }
    }

    /// <summary>Copies the frames from <paramref name="start"/> on out of a ring, in time order.</summary>
    private void CopyWindow(float[] ring, long start, Span<float> destination)
    {
        var position = (int)(start % _capacity);
        var first = Math.Min(destination.Length, _capacity - position);
        ring.AsSpan(position, first).CopyTo(destination);
        ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
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
            // The history holds min(written, capacity) frames; when it is full every slot is valid.
            var valid = (int)Math.Min(_written, _capacity);
            var max = _written >= _capacity
                ? VectorMath.MaxMagnitude(_trigger)
                : VectorMath.MaxMagnitude(_trigger.AsSpan(0, valid));
            if (max <= 0)
            {
                return false;
            }

            level = 2.0 / 3.0 * max;
        }

        // The latest n in (lo, hi] with trigger[n - 1] < level <= trigger[n]. The level is rounded up to a float: for
        // every float x, x >= level exactly when x >= that float, so the vector compare decides as the double would.
        var threshold = (float)level;
        if (threshold < level)
        {
            threshold = MathF.BitIncrement(threshold);
        }

        var loPosition = (int)(lo % _capacity);
        var hiPosition = (int)(hi % _capacity);
        int j;
        if (loPosition <= hiPosition)
        {
            j = LastRisingEdge(_trigger.AsSpan(loPosition, hiPosition - loPosition + 1), threshold);
            trigger = lo + j;
            return j > 0;
        }

        // The range wraps: the newer run starts at ring position 0 (frame hi - hiPosition), the older one ends the ring.
        var wrapFrame = hi - hiPosition;
        j = LastRisingEdge(_trigger.AsSpan(0, hiPosition + 1), threshold);
        if (j > 0)
        {
            trigger = wrapFrame + j;
            return true;
        }

        if (_trigger[_capacity - 1] < threshold && _trigger[0] >= threshold)
        {
            trigger = wrapFrame;
            return true;
        }

        j = LastRisingEdge(_trigger.AsSpan(loPosition), threshold);
        trigger = lo + j;
        return j > 0;
    }

    /// <summary>The largest j &gt;= 1 with values[j - 1] &lt; level &lt;= values[j], or -1; eight pairs at a time.</summary>
    private static int LastRisingEdge(ReadOnlySpan<float> values, float level)
    {
        var j = values.Length - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var threshold = Vector256.Create(level);
            ref var first = ref MemoryMarshal.GetReference(values);
            for (; j >= 8; j -= 8)
            {
                // Lane k holds the pair (j - 8 + k, j - 7 + k); the highest lane that crosses is the latest edge.
                var current = Vector256.LoadUnsafe(ref first, (nuint)(j - 7));
                var previous = Vector256.LoadUnsafe(ref first, (nuint)(j - 8));
                var edges = (Vector256.LessThan(previous, threshold) & Vector256.GreaterThanOrEqual(current, threshold)).ExtractMostSignificantBits();
                if (edges != 0)
                {
                    return j - 7 + (31 - BitOperations.LeadingZeroCount(edges));
                }
            }
        }

        for (; j >= 1; j--)
        {
            if (values[j - 1] < level && values[j] >= level)
            {
                return j;
            }
        }

        return -1;
    }
}
