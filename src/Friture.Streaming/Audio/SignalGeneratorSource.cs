using System.Globalization;

namespace Friture.Streaming.Audio;

/// <summary>
/// A synthetic <see cref="IAudioSource"/> with Friture's generator set: sine, white noise, pink noise, exponential
/// sweep and burst, at a level in dBFS, on 1 to 32 channels with an optional fixed inter-channel delay and polarity
/// inversion (to exercise the delay estimator).
/// </summary>
/// <remarks>
/// <para>
/// Every channel carries the same signal: channel k (1-based) is channel 1 delayed by (k-1) ×
/// <see cref="SignalGeneratorOptions.InterChannelDelaySeconds"/> (whole samples; silence before the signal reaches
/// it) and, with <see cref="SignalGeneratorOptions.InvertPolarity"/>, negated.
/// </para>
/// <para>
/// In real time, reads are paced to the <see cref="SignalGeneratorOptions.TimeProvider"/> clock; a reader that falls
/// more than <see cref="SignalGeneratorOptions.MaxLagSeconds"/> behind skips audio, which shows as a gap in the frame
/// index (an overrun). Otherwise reads return at once. <see cref="Read"/> does not allocate.
/// </para>
/// </remarks>
public sealed class SignalGeneratorSource : IAudioSource
{
    private const int PinkRows = 13;

    private readonly SignalGeneratorOptions _options;
    private readonly float[] _delayLine;
    private readonly int _delayFrames;
    private readonly float[] _pinkRows = new float[PinkRows];
    private readonly RealTimePacer? _pacer;
    private readonly double _amplitude;
    private readonly ulong _seed;
    private int _delayWrite;
    private long _position;
    private double _phase;
    private double _sweepFrequency;
    private double _sweepRatioPerSample;
    private long _sweepFrame;
    private long _sweepLength;
    private long _burstFrame;
    private long _burstInterval;
    private ulong _rng;
    private double _pinkSum;
    private long _pinkCounter;
    private volatile bool _running;

    /// <summary>Creates a generator.</summary>
    /// <param name="options">Settings; <see langword="null"/> for a 440 Hz sine at -6 dBFS, 48 kHz mono, real time.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public SignalGeneratorSource(SignalGeneratorOptions? options = null)
    {
        _options = options ?? new SignalGeneratorOptions();
        Format = _options.Validate();
        _amplitude = Math.Pow(10, _options.LevelDbfs / 20);
        _delayFrames = (int)Math.Round(_options.InterChannelDelaySeconds * Format.SampleRate);
        _delayLine = new float[((Format.Channels - 1) * _delayFrames) + 1];
        _seed = _options.Seed is { } seed ? (ulong)(uint)seed : (ulong)Random.Shared.NextInt64();
        if (_options.RealTime)
        {
            _pacer = new RealTimePacer(_options.TimeProvider, Format.SampleRate, (long)(_options.MaxLagSeconds * Format.SampleRate));
        }

        Name = string.Create(CultureInfo.InvariantCulture, $"Signal generator ({Describe(_options)}, {_options.LevelDbfs} dBFS)");
        ResetState();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>The inter-channel delay actually applied, in samples.</summary>
    public int InterChannelDelayFrames => _delayFrames;

    /// <inheritdoc/>
    public void Start()
    {
        ResetState();
        _running = true;
        _pacer?.Restart();
    }

    /// <inheritdoc/>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        var channels = Format.Channels;
        var frames = destination.Length / channels;
        if (!_running || frames == 0)
        {
            return new AudioReadResult(0, _position, !_running);
        }

        if (_pacer is not null)
        {
            var skip = _pacer.FramesToSkip(_position);
            for (long i = 0; i < skip; i++)
            {
                NextFrame(Span<float>.Empty);
            }

            _position += skip;
            if (!_pacer.WaitUntil(_position + frames, cancellationToken))
            {
                return new AudioReadResult(0, _position, false);
            }
        }

        var first = _position;
        if (_options.Waveform == SignalWaveform.Sine && _delayLine.Length == 1)
        {
            FillSine(destination[..(frames * channels)], channels);
        }
        else
        {
            for (var f = 0; f < frames; f++)
            {
                NextFrame(destination.Slice(f * channels, channels));
            }
        }

        _position += frames;
        return new AudioReadResult(frames, first, false);
    }

    /// <inheritdoc/>
    public void Stop()
    {
        _running = false;
        _pacer?.Stop();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _pacer?.Dispose();
    }

    private static string Describe(SignalGeneratorOptions o) => o.Waveform switch
    {
        SignalWaveform.Sine => string.Create(CultureInfo.InvariantCulture, $"sine {o.FrequencyHz} Hz"),
        SignalWaveform.Sweep => string.Create(CultureInfo.InvariantCulture, $"sweep {o.SweepStartHz}-{o.SweepEndHz} Hz over {o.SweepDurationSeconds} s"),
        SignalWaveform.Burst => string.Create(CultureInfo.InvariantCulture, $"burst every {o.BurstIntervalSeconds} s"),
        SignalWaveform.WhiteNoise => "white noise",
        SignalWaveform.Demo => string.Create(CultureInfo.InvariantCulture, $"demo: {o.FrequencyHz} Hz tone, pink noise and bursts"),
        _ => "pink noise",
    };

    private void ResetState()
    {
        _position = 0;
        _phase = 0;
        _delayWrite = 0;
        Array.Clear(_delayLine);
        _rng = (_seed * 0x9E3779B97F4A7C15UL) | 1;
        _sweepLength = Math.Max(1, (long)Math.Round(_options.SweepDurationSeconds * Format.SampleRate));
        _sweepRatioPerSample = Math.Pow(_options.SweepEndHz / _options.SweepStartHz, 1.0 / _sweepLength);
        _sweepFrequency = _options.SweepStartHz;
        _sweepFrame = 0;
        _burstInterval = Math.Max(1, (long)Math.Round(_options.BurstIntervalSeconds * Format.SampleRate));
        _burstFrame = 0;
        _pinkCounter = 0;
        _pinkSum = 0;
        for (var i = 0; i < PinkRows; i++)
        {
            _pinkRows[i] = NextUniform();
            _pinkSum += _pinkRows[i];
        }
    }

    private void NextFrame(Span<float> frame)
    {
        var x = NextSample();
        if (_delayLine.Length == 1)
        {
            if (!frame.IsEmpty)
            {
                frame[0] = x;
                var sign = _options.InvertPolarity ? -1f : 1f;
                for (var c = 1; c < frame.Length; c++)
                {
                    frame[c] = x * sign;
                }
            }

            return;
        }

        _delayLine[_delayWrite] = x;
        if (!frame.IsEmpty)
        {
            var length = _delayLine.Length;
            for (var c = 0; c < frame.Length; c++)
            {
                var index = _delayWrite - (c * _delayFrames);
                if (index < 0)
                {
                    index += length;
                }

                var v = _delayLine[index];
                frame[c] = c > 0 && _options.InvertPolarity ? -v : v;
            }
        }

        _delayWrite = _delayWrite + 1 == _delayLine.Length ? 0 : _delayWrite + 1;
    }

    /// <summary>
    /// The sine without a delay line, a block at a time: a rotation (two multiply-adds per sample) started from the exact
    /// sine and cosine of the block's first phase, instead of <see cref="Math.Sin(double)"/> per sample. Over one block
    /// the rotation drifts by about 1e-13, a million times below a float32 step; the phase itself advances exactly as
    /// the per-sample path does, so blocks join seamlessly and every block starts exact. About 20 times less CPU than
    /// a sine per sample (the generator was 5 ms of CPU per second of audio at 48 kHz, docs/performance.md).
    /// </summary>
    private void FillSine(Span<float> destination, int channels)
    {
        var step = 2 * Math.PI * _options.FrequencyHz / Format.SampleRate;
        var (sinStep, cosStep) = Math.SinCos(step);
        var (sin, cos) = Math.SinCos(_phase);
        var amplitude = _amplitude;
        var other = _options.InvertPolarity ? -1f : 1f;
        for (var offset = 0; offset < destination.Length; offset += channels)
        {
            var x = (float)(amplitude * sin);
            destination[offset] = x;
            for (var c = 1; c < channels; c++)
            {
                destination[offset + c] = x * other;
            }

            var nextSin = (sin * cosStep) + (cos * sinStep);
            cos = (cos * cosStep) - (sin * sinStep);
            sin = nextSin;
            _phase += step;
            if (_phase >= 2 * Math.PI)
            {
                _phase -= 2 * Math.PI;
            }
        }
    }

    private float NextSample()
    {
        switch (_options.Waveform)
        {
            case SignalWaveform.Demo:
                return NextDemoSample();

            case SignalWaveform.Sine:
            {
                var v = _amplitude * Math.Sin(_phase);
                _phase += 2 * Math.PI * _options.FrequencyHz / Format.SampleRate;
                if (_phase >= 2 * Math.PI)
                {
                    _phase -= 2 * Math.PI;
                }

                return (float)v;
            }

            case SignalWaveform.Sweep:
            {
                var v = _amplitude * Math.Sin(_phase);
                _phase += 2 * Math.PI * _sweepFrequency / Format.SampleRate;
                if (_phase >= 2 * Math.PI)
                {
                    _phase -= 2 * Math.PI;
                }

                _sweepFrequency *= _sweepRatioPerSample;
                if (++_sweepFrame >= _sweepLength)
                {
                    _sweepFrame = 0;
                    _sweepFrequency = _options.SweepStartHz;
                    _phase = 0;
                }

                return (float)v;
            }

            case SignalWaveform.Burst:
            {
                var v = _burstFrame == 0 ? (float)_amplitude : 0f;
                if (++_burstFrame >= _burstInterval)
                {
                    _burstFrame = 0;
                }

                return v;
            }

            case SignalWaveform.WhiteNoise:
                // Uniform on [-1, 1) has an RMS of 1/sqrt(3).
                return Clip(NextUniform() * (float)(_amplitude * Math.Sqrt(3)));

            default:
            {
                // Voss-McCartney: row k is redrawn every 2^k samples (the row of the counter's lowest set bit).
                _pinkCounter++;
                var row = System.Numerics.BitOperations.TrailingZeroCount(_pinkCounter);
                if (row < PinkRows)
                {
                    var fresh = NextUniform();
                    _pinkSum += fresh - _pinkRows[row];
                    _pinkRows[row] = fresh;
                }

                // Rows plus one white source: 14 independent uniforms of variance 1/3 each.
                var sum = _pinkSum + NextUniform();
                return Clip((float)(sum * _amplitude / Math.Sqrt((PinkRows + 1) / 3.0)));
            }
        }
    }

    private float NextDemoSample()
    {
        var tone = _amplitude * Math.Sin(_phase);
        _phase += 2 * Math.PI * _options.FrequencyHz / Format.SampleRate;
        if (_phase >= 2 * Math.PI)
        {
            _phase -= 2 * Math.PI;
        }

        var inBurst = _burstFrame < Format.SampleRate / 4;
        if (++_burstFrame >= _burstInterval)
        {
            _burstFrame = 0;
        }

        // Pink noise of unit RMS, scaled to -30 dB (floor) or -6 dB (burst) relative to the tone's peak.
        _pinkCounter++;
        var row = System.Numerics.BitOperations.TrailingZeroCount(_pinkCounter);
        if (row < PinkRows)
        {
            var fresh = NextUniform();
            _pinkSum += fresh - _pinkRows[row];
            _pinkRows[row] = fresh;
        }

        var noise = (_pinkSum + NextUniform()) / Math.Sqrt((PinkRows + 1) / 3.0);
        var noiseGain = inBurst ? 0.5012 : 0.03162;
        return Clip((float)(tone + (noise * _amplitude * noiseGain)));
    }

    private static float Clip(float v) => Math.Clamp(v, -1f, 1f);

    private float NextUniform()
    {
        // xorshift64*: fast, seedable, no allocation.
        _rng ^= _rng >> 12;
        _rng ^= _rng << 25;
        _rng ^= _rng >> 27;
        var r = _rng * 2685821657736338717UL;
        return (float)(((r >> 40) * (1.0 / (1UL << 24) * 2)) - 1.0);
    }
}
