using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Friture.Streaming.Dsp.Filters;

/// <summary>
/// A multirate bank of fractional-octave band-pass filters that accumulates the energy of every band.
/// </summary>
/// <remarks>
/// <para>
/// Each band is a Butterworth band-pass of order 6 (three second-order sections; order 8 at the input rate, see
/// <see cref="ButterworthDesign.BandPass"/>) designed for the sample rate of its decimation stage. Stage <c>s</c> runs
/// at <c>fs / 2^s</c>; a band goes to the deepest stage whose rate keeps its upper edge at or below
/// <see cref="StageFraction"/> of that rate, so every filter works between about 0.1 and 0.2 of its own sample rate
/// (the top stage excepted) and no section needs extreme pole radii. Between stages an order-8 Butterworth low-pass at
/// 0.2 of the faster rate removes what would alias: at least 100 dB above 0.4 of the faster rate (the frequencies that
/// fold into the slower stage's bands) and under 0.0001 dB of loss up to 0.1 of it.
/// </para>
/// <para>
/// Filters of the same stage run four at a time in <see cref="Vector256{T}"/> lanes of doubles; a scalar path (one
/// <see cref="BiquadCascade"/> per band) gives the same results and is what the tests compare against.
/// </para>
/// <para>Allocation: the constructor allocates everything; <see cref="Process"/> allocates nothing.</para>
/// </remarks>
internal sealed class OctaveFilterBank
{
    /// <summary>A band is placed at the deepest stage where its upper edge is at most this fraction of the stage's rate.</summary>
    public const double StageFraction = 0.2;

    /// <summary>Sections per band filter below the input rate (an order-6 band-pass).</summary>
    public const int SectionsPerBand = 3;

    /// <summary>
    /// Sections per band filter at the input rate (an order-8 band-pass): bands there reach up to Nyquist, where the
    /// bilinear transform compresses the lower stop band, and the extra order restores the class 1 margins.
    /// </summary>
    public const int TopStageSectionsPerBand = 4;

    private const int ChunkFrames = 1024;
    private const int Lanes = 4;

    private readonly Stage[] _stages;
    private readonly double[] _energy;
    private readonly long[] _counts;
    private readonly int _bandCount;

    /// <summary>Creates the bank.</summary>
    /// <param name="bands">The bands; each upper edge must be below half of <paramref name="sampleRate"/>.</param>
    /// <param name="sampleRate">Input sample rate in Hz.</param>
    /// <param name="useVectors">Whether to use the <see cref="Vector256{T}"/> path when the hardware accelerates it.</param>
    public OctaveFilterBank(ReadOnlySpan<FractionalOctaveBand> bands, double sampleRate, bool useVectors = true)
    {
        _bandCount = bands.Length;
        _energy = new double[bands.Length];
        _counts = new long[bands.Length];
        StageOfBand = new int[bands.Length];
        var deepest = 0;
        for (var i = 0; i < bands.Length; i++)
        {
            var s = 0;
            while (s < 16 && bands[i].UpperHz <= StageFraction * sampleRate / (1 << (s + 1)))
            {
                s++;
            }

            StageOfBand[i] = s;
            deepest = Math.Max(deepest, s);
        }

        var vectors = useVectors && Vector256.IsHardwareAccelerated;
        _stages = new Stage[deepest + 1];
        for (var s = 0; s <= deepest; s++)
        {
            var rate = sampleRate / (1 << s);
            var members = new List<int>();
            for (var i = 0; i < bands.Length; i++)
            {
                if (StageOfBand[i] == s)
                {
                    members.Add(i);
                }
            }

            var designs = new BiquadCoefficients[members.Count][];
            for (var m = 0; m < members.Count; m++)
            {
                var band = bands[members[m]];
                designs[m] = ButterworthDesign.BandPass(band.LowerHz, band.UpperHz, rate, s == 0 ? TopStageSectionsPerBand : SectionsPerBand);
            }

            var antiAlias = s < deepest ? new BiquadCascade(ButterworthDesign.LowPass(StageFraction * rate, rate, 8)) : null;
            _stages[s] = new Stage([.. members], designs, s == 0 ? TopStageSectionsPerBand : SectionsPerBand, antiAlias, vectors, ChunkFrames >> s);
        }
    }

    /// <summary>Decimation stage of each band (0 = input rate).</summary>
    public int[] StageOfBand { get; }

    /// <summary>Number of decimation stages.</summary>
    public int StageCount => _stages.Length;

    /// <summary>Filters a block of samples and adds each band's squared output to its accumulator.</summary>
    /// <param name="input">Samples at the input rate.</param>
    public void Process(ReadOnlySpan<float> input)
    {
        while (!input.IsEmpty)
        {
            var n = Math.Min(input.Length, ChunkFrames);
            var top = _stages[0].Buffer.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                top[i] = input[i];
            }

            var count = n;
            for (var s = 0; s < _stages.Length; s++)
            {
                var stage = _stages[s];
                stage.Run(count, _energy, _counts);
                if (stage.AntiAlias is not null)
                {
                    count = stage.Decimate(count, _stages[s + 1].Buffer);
                }
            }

            input = input[n..];
        }
    }

    /// <summary>
    /// Writes each band's mean-square output since the previous call (or NaN for a band that received no sample yet
    /// in that interval) and clears the accumulators.
    /// </summary>
    /// <param name="meanSquares">One value per band.</param>
    public void TakeMeanSquares(Span<double> meanSquares)
    {
        for (var i = 0; i < _bandCount; i++)
        {
            meanSquares[i] = _counts[i] > 0 ? _energy[i] / _counts[i] : double.NaN;
            _energy[i] = 0;
            _counts[i] = 0;
        }
    }

    /// <summary>Clears every filter state and accumulator.</summary>
    public void Reset()
    {
        foreach (var stage in _stages)
        {
            stage.Reset();
        }

        Array.Clear(_energy);
        Array.Clear(_counts);
    }

    private sealed class Stage
    {
        private readonly int[] _members;
        private readonly BiquadCascade[]? _scalar;
        private readonly Vector256<double>[]? _coefficients;
        private readonly Vector256<double>[]? _state;
        private readonly int _groups;
        private readonly int _sections;
        private int _phase;

        public Stage(int[] members, BiquadCoefficients[][] designs, int sections, BiquadCascade? antiAlias, bool vectors, int bufferLength)
        {
            _members = members;
            _sections = sections;
            AntiAlias = antiAlias;
            Buffer = new double[Math.Max(bufferLength, 1) + 1];
            if (!vectors)
            {
                _scalar = new BiquadCascade[members.Length];
                for (var i = 0; i < members.Length; i++)
                {
                    _scalar[i] = new BiquadCascade(designs[i]);
                }

                return;
            }

            // Per group and section: b0, a1, a2 (b1 = 0 and b2 = -b0 for these band-pass sections). Spare lanes get
            // b0 = 0, which keeps them silent.
            _groups = (members.Length + Lanes - 1) / Lanes;
            _coefficients = new Vector256<double>[_groups * sections * 3];
            _state = new Vector256<double>[_groups * sections * 2];
            Span<double> b0 = stackalloc double[Lanes];
            Span<double> a1 = stackalloc double[Lanes];
            Span<double> a2 = stackalloc double[Lanes];
            for (var g = 0; g < _groups; g++)
            {
                for (var sec = 0; sec < sections; sec++)
                {
                    b0.Clear();
                    a1.Clear();
                    a2.Clear();
                    for (var lane = 0; lane < Lanes; lane++)
                    {
                        var m = (g * Lanes) + lane;
                        if (m < members.Length)
                        {
                            var c = designs[m][sec];
                            b0[lane] = c.B0;
                            a1[lane] = c.A1;
                            a2[lane] = c.A2;
                        }
                    }

                    var at = ((g * sections) + sec) * 3;
                    _coefficients[at] = Vector256.Create<double>(b0);
                    _coefficients[at + 1] = Vector256.Create<double>(a1);
                    _coefficients[at + 2] = Vector256.Create<double>(a2);
                }
            }
        }

        public double[] Buffer { get; }

        public BiquadCascade? AntiAlias { get; }

        public void Run(int count, double[] energy, long[] counts)
        {
            if (count == 0 || _members.Length == 0)
            {
                return;
            }

            var x = Buffer.AsSpan(0, count);
            if (_scalar is not null)
            {
                for (var m = 0; m < _members.Length; m++)
                {
                    var filter = _scalar[m];
                    var sum = 0.0;
                    foreach (var v in x)
                    {
                        var y = filter.Process(v);
                        sum += y * y;
                    }

                    energy[_members[m]] += sum;
                    counts[_members[m]] += count;
                }

                return;
            }

            for (var g = 0; g < _groups; g++)
            {
                if (g + 1 < _groups)
                {
                    // Two independent groups in one loop: their recursions overlap instead of each waiting on its own.
                    var (first, second) = _sections == 4 ? RunGroupPair4(g, x) : RunGroupPair3(g, x);
                    Accumulate(g, first, count, energy, counts);
                    Accumulate(g + 1, second, count, energy, counts);
                    g++;
                    continue;
                }

                Accumulate(g, _sections == 4 ? RunGroup4(g, x) : RunGroup3(g, x), count, energy, counts);
            }
        }

        private void Accumulate(int g, Vector256<double> acc, int count, double[] energy, long[] counts)
        {
            for (var lane = 0; lane < Lanes; lane++)
            {
                var m = (g * Lanes) + lane;
                if (m < _members.Length)
                {
                    energy[_members[m]] += acc.GetElement(lane);
                    counts[_members[m]] += count;
                }
            }
        }

        public int Decimate(int count, double[] next)
        {
            var filter = AntiAlias!;
            var produced = 0;
            var phase = _phase;
            var x = Buffer;
            for (var i = 0; i < count; i++)
            {
                var y = filter.Process(x[i]);
                if (phase == 0)
                {
                    next[produced++] = y;
                }

                phase ^= 1;
            }

            _phase = phase;
            return produced;
        }

        public void Reset()
        {
            AntiAlias?.Reset();
            if (_scalar is not null)
            {
                foreach (var f in _scalar)
                {
                    f.Reset();
                }
            }

            if (_state is not null)
            {
                Array.Clear(_state);
            }

            _phase = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Vector256<double> RunGroup3(int g, ReadOnlySpan<double> x)
        {
            var c = _coefficients.AsSpan(g * 9, 9);
            var st = _state.AsSpan(g * 6, 6);
            var b00 = c[0];
            var a10 = c[1];
            var a20 = c[2];
            var b01 = c[3];
            var a11 = c[4];
            var a21 = c[5];
            var b02 = c[6];
            var a12 = c[7];
            var a22 = c[8];
            var s10 = st[0];
            var s20 = st[1];
            var s11 = st[2];
            var s21 = st[3];
            var s12 = st[4];
            var s22 = st[5];
            var acc = Vector256<double>.Zero;
            foreach (var sample in x)
            {
                var v = Vector256.Create(sample);

                var u = b00 * v;
                var y = u + s10;
                s10 = s20 - (a10 * y);
                s20 = -u - (a20 * y);

                u = b01 * y;
                y = u + s11;
                s11 = s21 - (a11 * y);
                s21 = -u - (a21 * y);

                u = b02 * y;
                y = u + s12;
                s12 = s22 - (a12 * y);
                s22 = -u - (a22 * y);

                acc += y * y;
            }

            st[0] = s10;
            st[1] = s20;
            st[2] = s11;
            st[3] = s21;
            st[4] = s12;
            st[5] = s22;
            return acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Vector256<double> RunGroup4(int g, ReadOnlySpan<double> x)
        {
            var c = _coefficients.AsSpan(g * 12, 12);
            var st = _state.AsSpan(g * 8, 8);
            var b00 = c[0];
            var a10 = c[1];
            var a20 = c[2];
            var b01 = c[3];
            var a11 = c[4];
            var a21 = c[5];
            var b02 = c[6];
            var a12 = c[7];
            var a22 = c[8];
            var b03 = c[9];
            var a13 = c[10];
            var a23 = c[11];
            var s10 = st[0];
            var s20 = st[1];
            var s11 = st[2];
            var s21 = st[3];
            var s12 = st[4];
            var s22 = st[5];
            var s13 = st[6];
            var s23 = st[7];
            var acc = Vector256<double>.Zero;
            foreach (var sample in x)
            {
                var v = Vector256.Create(sample);

                var u = b00 * v;
                var y = u + s10;
                s10 = s20 - (a10 * y);
                s20 = -u - (a20 * y);

                u = b01 * y;
                y = u + s11;
                s11 = s21 - (a11 * y);
                s21 = -u - (a21 * y);

                u = b02 * y;
                y = u + s12;
                s12 = s22 - (a12 * y);
                s22 = -u - (a22 * y);

                u = b03 * y;
                y = u + s13;
                s13 = s23 - (a13 * y);
                s23 = -u - (a23 * y);

                acc += y * y;
            }

            st[0] = s10;
            st[1] = s20;
            st[2] = s11;
            st[3] = s21;
            st[4] = s12;
            st[5] = s22;
            st[6] = s13;
            st[7] = s23;
            return acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private (Vector256<double> First, Vector256<double> Second) RunGroupPair3(int g, ReadOnlySpan<double> x)
        {
            var c = _coefficients.AsSpan(g * 9, 18);
            var st = _state.AsSpan(g * 6, 12);
            var b000 = c[0];
            var a100 = c[1];
            var a200 = c[2];
            var b001 = c[3];
            var a101 = c[4];
            var a201 = c[5];
            var b002 = c[6];
            var a102 = c[7];
            var a202 = c[8];
            var b010 = c[9];
            var a110 = c[10];
            var a210 = c[11];
            var b011 = c[12];
            var a111 = c[13];
            var a211 = c[14];
            var b012 = c[15];
            var a112 = c[16];
            var a212 = c[17];
            var s100 = st[0];
            var s200 = st[1];
            var s101 = st[2];
            var s201 = st[3];
            var s102 = st[4];
            var s202 = st[5];
            var s110 = st[6];
            var s210 = st[7];
            var s111 = st[8];
            var s211 = st[9];
            var s112 = st[10];
            var s212 = st[11];
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            foreach (var sample in x)
            {
                var v = Vector256.Create(sample);
                var y0 = v;
                var y1 = v;
                var u00 = b000 * y0;
                y0 = u00 + s100;
                s100 = s200 - (a100 * y0);
                s200 = -u00 - (a200 * y0);
                var u10 = b010 * y1;
                y1 = u10 + s110;
                s110 = s210 - (a110 * y1);
                s210 = -u10 - (a210 * y1);
                var u01 = b001 * y0;
                y0 = u01 + s101;
                s101 = s201 - (a101 * y0);
                s201 = -u01 - (a201 * y0);
                var u11 = b011 * y1;
                y1 = u11 + s111;
                s111 = s211 - (a111 * y1);
                s211 = -u11 - (a211 * y1);
                var u02 = b002 * y0;
                y0 = u02 + s102;
                s102 = s202 - (a102 * y0);
                s202 = -u02 - (a202 * y0);
                var u12 = b012 * y1;
                y1 = u12 + s112;
                s112 = s212 - (a112 * y1);
                s212 = -u12 - (a212 * y1);
                acc0 += y0 * y0;
                acc1 += y1 * y1;
            }

            st[0] = s100;
            st[1] = s200;
            st[2] = s101;
            st[3] = s201;
            st[4] = s102;
            st[5] = s202;
            st[6] = s110;
            st[7] = s210;
            st[8] = s111;
            st[9] = s211;
            st[10] = s112;
            st[11] = s212;
            return (acc0, acc1);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private (Vector256<double> First, Vector256<double> Second) RunGroupPair4(int g, ReadOnlySpan<double> x)
        {
            var c = _coefficients.AsSpan(g * 12, 24);
            var st = _state.AsSpan(g * 8, 16);
            var b000 = c[0];
            var a100 = c[1];
            var a200 = c[2];
            var b001 = c[3];
            var a101 = c[4];
            var a201 = c[5];
            var b002 = c[6];
            var a102 = c[7];
            var a202 = c[8];
            var b003 = c[9];
            var a103 = c[10];
            var a203 = c[11];
            var b010 = c[12];
            var a110 = c[13];
            var a210 = c[14];
            var b011 = c[15];
            var a111 = c[16];
            var a211 = c[17];
            var b012 = c[18];
            var a112 = c[19];
            var a212 = c[20];
            var b013 = c[21];
            var a113 = c[22];
            var a213 = c[23];
            var s100 = st[0];
            var s200 = st[1];
            var s101 = st[2];
            var s201 = st[3];
            var s102 = st[4];
            var s202 = st[5];
            var s103 = st[6];
            var s203 = st[7];
            var s110 = st[8];
            var s210 = st[9];
            var s111 = st[10];
            var s211 = st[11];
            var s112 = st[12];
            var s212 = st[13];
            var s113 = st[14];
            var s213 = st[15];
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            foreach (var sample in x)
            {
                var v = Vector256.Create(sample);
                var y0 = v;
                var y1 = v;
                var u00 = b000 * y0;
                y0 = u00 + s100;
                s100 = s200 - (a100 * y0);
                s200 = -u00 - (a200 * y0);
                var u10 = b010 * y1;
                y1 = u10 + s110;
                s110 = s210 - (a110 * y1);
                s210 = -u10 - (a210 * y1);
                var u01 = b001 * y0;
                y0 = u01 + s101;
                s101 = s201 - (a101 * y0);
                s201 = -u01 - (a201 * y0);
                var u11 = b011 * y1;
                y1 = u11 + s111;
                s111 = s211 - (a111 * y1);
                s211 = -u11 - (a211 * y1);
                var u02 = b002 * y0;
                y0 = u02 + s102;
                s102 = s202 - (a102 * y0);
                s202 = -u02 - (a202 * y0);
                var u12 = b012 * y1;
                y1 = u12 + s112;
                s112 = s212 - (a112 * y1);
                s212 = -u12 - (a212 * y1);
                var u03 = b003 * y0;
                y0 = u03 + s103;
                s103 = s203 - (a103 * y0);
                s203 = -u03 - (a203 * y0);
                var u13 = b013 * y1;
                y1 = u13 + s113;
                s113 = s213 - (a113 * y1);
                s213 = -u13 - (a213 * y1);
                acc0 += y0 * y0;
                acc1 += y1 * y1;
            }

            st[0] = s100;
            st[1] = s200;
            st[2] = s101;
            st[3] = s201;
            st[4] = s102;
            st[5] = s202;
            st[6] = s103;
            st[7] = s203;
            st[8] = s110;
            st[9] = s210;
            st[10] = s111;
            st[11] = s211;
            st[12] = s112;
            st[13] = s212;
            st[14] = s113;
            st[15] = s213;
            return (acc0, acc1);
        }
    }
}
