using Friture.Streaming.Dsp.Filters;

namespace Friture.Streaming.Dsp.Loudness;

/// <summary>
/// A programme loudness meter after ITU-R BS.1770-4, EBU R128, EBU Tech 3341 and Tech 3342: momentary (400 ms),
/// short-term (3 s), gated integrated loudness, loudness range, sample peak and true peak, for 1 to 5.1 channels at any
/// sample rate.
/// </summary>
/// <remarks>
/// <para>
/// Each channel is K-weighted (<see cref="KWeighting"/>, two biquads in double precision) and squared; the squares are
/// summed with the channel weights (<see cref="ChannelWeights"/>) into one energy per frame, kept for the last 3 s.
/// Momentary and short-term loudness are the mean energy of the last 400 ms and 3 s, as of the last frame fed (running
/// sums, made exact again from per-100 ms partial sums every 100 ms so no rounding accumulates); their maxima are taken
/// over every frame. Every 100 ms (4,410 frames at 44.1 kHz, libebur128's rounding (fs + 5) / 10 at any rate) a
/// 400 ms gating block (75 % overlap) goes into the integrated-loudness histogram and, once 3 s have passed, a 3 s block
/// into the loudness-range histogram (10 blocks per second, as EBU Tech 3342 asks since 2016 and ffmpeg does;
/// libebur128 follows the first edition's one per second).
/// </para>
/// <para>
/// Before 400 ms (3 s) of programme the momentary (short-term) loudness is not defined; the windows are not padded with
/// silence. Integrated loudness and loudness range use <see cref="LoudnessHistogram"/> (-70 LUFS absolute gate,
/// -10 LU and -20 LU relative gates).
/// </para>
/// <para>Allocation: everything in the constructor; <see cref="Process"/> does not allocate. Not thread-safe.</para>
/// </remarks>
internal sealed class LoudnessMeter
{
    /// <summary>Frames processed per inner pass (larger inputs are split).</summary>
    public const int ChunkFrames = 1024;

    /// <summary>Energies below this (-150.7 LUFS) are silence: rounding residue of the running sums, not signal.</summary>
    private const double SilenceEnergy = 1e-15;

    private const int MomentarySegments = 4;
    private const int ShortTermSegments = 30;
    private readonly int _channels;
    private readonly int _rangeStepSteps;
    private readonly double[] _weights;
    private readonly BiquadCoefficients _shelf;
    private readonly BiquadCoefficients _highPass;
    private readonly double[] _filterState;
    private readonly double[] _frameEnergy = new double[ChunkFrames];
    private readonly double[] _ring;
    private readonly double[] _segments = new double[ShortTermSegments];
    private readonly double[] _samplePeak;
    private readonly double[] _truePeak;
    private readonly TruePeakInterpolator _interpolator;
    private readonly LoudnessHistogram _gatingBlocks = new();
    private readonly LoudnessHistogram _shortTermBlocks = new();
    private int _ringPosition;
    private double _momentarySum;
    private double _shortTermSum;
    private double _maxMomentarySum;
    private double _maxShortTermSum;
    private double _segmentSum;
    private int _segmentFrames;
    private long _segmentsDone;
    private long _frames;

    /// <summary>Creates a meter.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="weights">One weight per channel (see <see cref="ChannelWeights"/>); its length is the channel count.</param>
    /// <param name="rangeStepSteps">
    /// 100 ms steps between the 3 s blocks of the loudness range: 1 (10 per second, Tech 3342 since 2016: at least 2.9 s
    /// of overlap), or 10 for the one per second of Tech 3342's first edition and libebur128 (used to compare with it).
    /// </param>
    public LoudnessMeter(int sampleRate, ReadOnlySpan<double> weights, int rangeStepSteps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeStepSteps, 1);
        _rangeStepSteps = rangeStepSteps;
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfZero(weights.Length);
        SampleRate = sampleRate;
        _channels = weights.Length;
        _weights = weights.ToArray();
        _shelf = KWeighting.Shelf(sampleRate);
        _highPass = KWeighting.HighPass(sampleRate);
        _filterState = new double[4 * _channels];
        HopFrames = (sampleRate + 5) / 10;
        _ring = new double[ShortTermSegments * HopFrames];
        _samplePeak = new double[_channels];
        _truePeak = new double[_channels];
        _interpolator = new TruePeakInterpolator(sampleRate, _channels, ChunkFrames);
    }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Channel count.</summary>
    public int Channels => _channels;

    /// <summary>Frames in 100 ms, the step of the gating blocks.</summary>
    public int HopFrames { get; }

    /// <summary>Frames in the momentary window (4 steps).</summary>
    public int MomentaryFrames => MomentarySegments * HopFrames;

    /// <summary>Frames in the short-term window (30 steps).</summary>
    public int ShortTermFrames => ShortTermSegments * HopFrames;

    /// <summary>The true-peak oversampling factor.</summary>
    public int OversamplingFactor => _interpolator.Factor;

    /// <summary>Programme frames since creation or the last reset.</summary>
    public long Frames => _frames;

    /// <summary>Programme duration since creation or the last reset, in seconds.</summary>
    public double DurationSeconds => (double)_frames / SampleRate;

    /// <summary>Momentary loudness (last 400 ms) in LUFS; null before 400 ms of programme or in digital silence.</summary>
    public double? MomentaryLufs => _frames >= MomentaryFrames ? ToLufs(_momentarySum / MomentaryFrames) : null;

    /// <summary>Short-term loudness (last 3 s) in LUFS; null before 3 s of programme or in digital silence.</summary>
    public double? ShortTermLufs => _frames >= ShortTermFrames ? ToLufs(_shortTermSum / ShortTermFrames) : null;

    /// <summary>Highest momentary loudness of the programme in LUFS, over every frame; null before 400 ms or if silent.</summary>
    public double? MaxMomentaryLufs => _frames >= MomentaryFrames ? ToLufs(_maxMomentarySum / MomentaryFrames) : null;

    /// <summary>Highest short-term loudness of the programme in LUFS, over every frame; null before 3 s or if silent.</summary>
    public double? MaxShortTermLufs => _frames >= ShortTermFrames ? ToLufs(_maxShortTermSum / ShortTermFrames) : null;

    /// <summary>Gated integrated loudness of the programme in LUFS; null while no 400 ms block passed the gates.</summary>
    public double? IntegratedLufs
    {
        get
        {
            var energy = _gatingBlocks.GatedMeanEnergy(-10.0);
            return energy > 0 ? LoudnessHistogram.EnergyToLoudness(energy) : null;
        }
    }

    /// <summary>Loudness range (EBU Tech 3342) in LU; null while no 3 s block passed the gates.</summary>
    public double? LoudnessRangeLu =>
        _shortTermBlocks.TryPercentiles(-20.0, out var low, out var high) ? high - low : null;

    /// <summary>Gating blocks (400 ms) above the absolute gate so far.</summary>
    public long GatingBlocks => _gatingBlocks.Count;

    /// <summary>Highest sample magnitude of a channel in the programme, linear (1.0 = full scale).</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The sample peak.</returns>
    public double SamplePeak(int channel) => _samplePeak[channel];

    /// <summary>Highest oversampled magnitude of a channel in the programme, linear.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The true peak.</returns>
    public double TruePeak(int channel) => _truePeak[channel];

    /// <summary>Feeds interleaved frames.</summary>
    /// <param name="interleaved">Samples, <see cref="Channels"/> per frame; a partial trailing frame is ignored.</param>
    public void Process(ReadOnlySpan<float> interleaved)
    {
        var frames = interleaved.Length / _channels;
        for (var start = 0; start < frames; start += ChunkFrames)
        {
            var count = Math.Min(ChunkFrames, frames - start);
            ProcessChunk(interleaved.Slice(start * _channels, count * _channels), count);
        }
    }

    /// <summary>
    /// Starts a new programme: integrated loudness, range, maxima, peaks and duration start again, and so do the
    /// momentary and short-term windows. The K-weighting filters keep their state, so a running signal sees no
    /// transient in its loudness; the true-peak interpolator starts afresh, so no peak of the old programme leaks in.
    /// </summary>
    public void ResetProgramme()
    {
        _interpolator.Reset();
        Array.Clear(_ring);
        Array.Clear(_segments);
        Array.Clear(_samplePeak);
        Array.Clear(_truePeak);
        _gatingBlocks.Clear();
        _shortTermBlocks.Clear();
        _ringPosition = 0;
        _momentarySum = 0;
        _shortTermSum = 0;
        _maxMomentarySum = 0;
        _maxShortTermSum = 0;
        _segmentSum = 0;
        _segmentFrames = 0;
        _segmentsDone = 0;
        _frames = 0;
    }

    /// <summary>Forgets everything, filter and interpolator state included.</summary>
    public void Reset()
    {
        ResetProgramme();
        Array.Clear(_filterState);
    }

    private static double? ToLufs(double energy) => energy > SilenceEnergy ? LoudnessHistogram.EnergyToLoudness(energy) : null;

    private void ProcessChunk(ReadOnlySpan<float> samples, int frames)
    {
        var energy = _frameEnergy.AsSpan(0, frames);
        energy.Clear();
        for (var c = 0; c < _channels; c++)
        {
            var chunkPeak = 0f;
            for (var i = 0; i < frames; i++)
            {
                chunkPeak = Math.Max(chunkPeak, Math.Abs(samples[(i * _channels) + c]));
            }

            _samplePeak[c] = Math.Max(_samplePeak[c], chunkPeak);

            // Interpolation is the costly part: skip it when even the filter's largest gain could not lift this chunk
            // (and the history its first outputs reach back to) above the true peak already found. Exact, not a guess.
            var bound = _interpolator.MaxGain * Math.Max(chunkPeak, _interpolator.HistoryPeak(c));
            if (bound <= _truePeak[c])
            {
                _interpolator.Skip(samples, c, _channels, frames);
            }
            else
            {
                _truePeak[c] = Math.Max(_truePeak[c], _interpolator.Process(samples, c, _channels, frames));
            }
            if (_weights[c] != 0)
            {
                Weight(samples, c, energy);
            }
        }

        Accumulate(energy);
    }

    /// <summary>K-weights channel <paramref name="c"/> and adds its weighted square to each frame's energy.</summary>
    private void Weight(ReadOnlySpan<float> samples, int c, Span<double> energy)
    {
        var (b0, b1, b2, a1, a2) = (_shelf.B0, _shelf.B1, _shelf.B2, _shelf.A1, _shelf.A2);
        var (d0, d1, d2, e1, e2) = (_highPass.B0, _highPass.B1, _highPass.B2, _highPass.A1, _highPass.A2);
        var state = _filterState.AsSpan(4 * c, 4);
        var (s1, s2, h1, h2) = (state[0], state[1], state[2], state[3]);
        var weight = _weights[c];
        var channels = _channels;
        for (var i = 0; i < energy.Length; i++)
        {
            double x = samples[(i * channels) + c];
            var y = (b0 * x) + s1;
            s1 = (b1 * x) - (a1 * y) + s2;
            s2 = (b2 * x) - (a2 * y);
            var z = (d0 * y) + h1;
            h1 = (d1 * y) - (e1 * z) + h2;
            h2 = (d2 * y) - (e2 * z);
            energy[i] += weight * z * z;
        }

        // Silence lets the state decay into subnormals, which are slow on x86: flush them.
        state[0] = Math.Abs(s1) < 1e-200 ? 0 : s1;
        state[1] = Math.Abs(s2) < 1e-200 ? 0 : s2;
        state[2] = Math.Abs(h1) < 1e-200 ? 0 : h1;
        state[3] = Math.Abs(h2) < 1e-200 ? 0 : h2;
    }

    /// <summary>Moves the 400 ms and 3 s windows over each frame's energy and closes the 100 ms steps.</summary>
    private void Accumulate(ReadOnlySpan<double> energy)
    {
        var ring = _ring;
        var length = ring.Length;
        var momentaryFrames = MomentaryFrames;
        var shortTermFrames = ShortTermFrames;
        for (var i = 0; i < energy.Length; i++)
        {
            var z = energy[i];
            var leavingMomentary = _ringPosition - momentaryFrames;
            if (leavingMomentary < 0)
            {
                leavingMomentary += length;
            }

            _momentarySum += z - ring[leavingMomentary];
            _shortTermSum += z - ring[_ringPosition];
            ring[_ringPosition] = z;
            if (++_ringPosition == length)
            {
                _ringPosition = 0;
            }

            _frames++;
            if (_frames >= momentaryFrames && _momentarySum > _maxMomentarySum)
            {
                _maxMomentarySum = _momentarySum;
            }

            if (_frames >= shortTermFrames && _shortTermSum > _maxShortTermSum)
            {
                _maxShortTermSum = _shortTermSum;
            }

            _segmentSum += z;
            if (++_segmentFrames == HopFrames)
            {
                CloseStep();
            }
        }
    }

    /// <summary>
    /// Ends a 100 ms step: the window sums become exact sums of whole steps again, and the gating blocks that end here
    /// go into the histograms.
    /// </summary>
    private void CloseStep()
    {
        _segments[_segmentsDone % ShortTermSegments] = _segmentSum;
        _segmentsDone++;
        _segmentSum = 0;
        _segmentFrames = 0;
        var momentary = 0.0;
        var shortTerm = 0.0;
        var available = (int)Math.Min(_segmentsDone, ShortTermSegments);
        for (var k = 1; k <= available; k++)
        {
            var segment = _segments[(_segmentsDone - k) % ShortTermSegments];
            shortTerm += segment;
            if (k <= MomentarySegments)
            {
                momentary += segment;
            }
        }

        _momentarySum = momentary;
        _shortTermSum = shortTerm;
        if (_segmentsDone >= MomentarySegments)
        {
            _gatingBlocks.Add(momentary / MomentaryFrames);
        }

        if (_segmentsDone >= ShortTermSegments && (_segmentsDone - ShortTermSegments) % _rangeStepSteps == 0)
        {
            _shortTermBlocks.Add(shortTerm / ShortTermFrames);
        }
    }
}
