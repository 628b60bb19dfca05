using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// (the top stage excepted) and no section needs extreme pole radii. Between stages a polyphase IIR half-band low-pass
/// (elliptic, order 7: three first-order all-pass sections in two branches, computed at the slower rate) removes what
/// would alias: at least 104 dB above 0.4 of the faster rate (the frequencies that fold into the slower stage's bands)
/// and under 1e-9 dB of loss up to 0.1 of it (see <see cref="HalfBandCoefficients"/>).
/// </para>
/// <para>
/// Filters of the same stage run four at a time in <see cref="Vector256{T}"/> lanes of doubles, with each section's
/// gain taken out of the recursion and applied to the band's power instead; a scalar path (one
/// <see cref="BiquadCascade"/> per band, gains inside) gives the same results and is what the tests compare against.
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

    // All-pass coefficients of the half-band decimator, H(z) = (A0(z^2) + z^-1 A1(z^2)) / 2 with
    // A0 = AP(c0) AP(c2), A1 = AP(c1) and AP(c)(z) = (c + z^-1) / (1 + c z^-1): the elliptic half-band of order 7 whose
    // transition band is 0.1..0.4 of the faster rate (Valenzuela and Constantinides' design, as in Laurent de Soras'
    // HIIR library, transition width 0.3). Stop band >= 104.4 dB from 0.4 to 0.5, pass-band loss <= 1.6e-10 dB below 0.1.
    private const double HalfBand0 = 0.0627357529540349;
    private const double HalfBand1 = 0.26373233391150247;
    private const double HalfBand2 = 0.6658150906070818;

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

        var vectors = useVectors && Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;
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

            _stages[s] = new Stage([.. members], designs, s == 0 ? TopStageSectionsPerBand : SectionsPerBand, vectors, ChunkFrames >> s);
        }
    }

    /// <summary>
    /// The half-band decimator's all-pass coefficients c0, c1, c2: <c>H(z) = (AP(c0, z^2) AP(c2, z^2) + z^-1 AP(c1, z^2)) / 2</c>
    /// with <c>AP(c, z) = (c + z^-1) / (1 + c z^-1)</c>.
    /// </summary>
    public static ReadOnlySpan<double> HalfBandCoefficients => [HalfBand0, HalfBand1, HalfBand2];

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
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                ref var source = ref MemoryMarshal.GetReference(input);
                ref var destination = ref MemoryMarshal.GetReference(top);
                for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                {
                    var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
                    lower.StoreUnsafe(ref destination, (nuint)i);
                    upper.StoreUnsafe(ref destination, (nuint)(i + Vector256<double>.Count));
                }
            }

            for (; i < n; i++)
            {
                top[i] = input[i];
            }

            var count = n;
            for (var s = 0; s < _stages.Length; s++)
            {
                count = _stages[s].Run(count, _energy, _counts, s + 1 < _stages.Length ? _stages[s + 1].Buffer : null);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    private sealed class Stage
    {
        private readonly int[] _members;
        private readonly BiquadCascade[]? _scalar;
        private readonly Vector256<double>[]? _coefficients;
        private readonly Vector256<double>[]? _state;
        private readonly double[]? _powerGains;
        private readonly int _groups;
        private readonly int _sections;

        // Half-band decimator state: previous input and output of the first and second all-pass section of both
        // branches (lane 0: branch 0, lane 1: branch 1), and an even input sample waiting for its odd partner.
        private Vector128<double> _x1;
        private Vector128<double> _y1;
        private Vector128<double> _x2;
        private Vector128<double> _y2;
        private double _carry;
        private bool _hasCarry;

        public Stage(int[] members, BiquadCoefficients[][] designs, int sections, bool vectors, int bufferLength)
        {
            _members = members;
            _sections = sections;
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

            // Every section is b0 (1 - z^-2) / (1 + a1 z^-1 + a2 z^-2): the lanes run the unit-gain numerator and the
            // band's power is multiplied by the square of the product of the b0. Per group and section: a1, a2. Spare
            // lanes get a1 = a2 = 0 (a bounded FIR) and power gain 0.
            _groups = (members.Length + Lanes - 1) / Lanes;
            _coefficients = new Vector256<double>[_groups * sections * 2];
            _state = new Vector256<double>[_groups * sections * 2];
            _powerGains = new double[_groups * Lanes];
            Span<double> a1 = stackalloc double[Lanes];
            Span<double> a2 = stackalloc double[Lanes];
            for (var g = 0; g < _groups; g++)
            {
                for (var lane = 0; lane < Lanes; lane++)
                {
                    var m = (g * Lanes) + lane;
                    if (m < members.Length)
                    {
                        var gain = 1.0;
                        foreach (var c in designs[m])
                        {
                            gain *= c.B0;
                        }

                        _powerGains[m] = gain * gain;
                    }
                }

                for (var sec = 0; sec < sections; sec++)
                {
                    a1.Clear();
                    a2.Clear();
                    for (var lane = 0; lane < Lanes; lane++)
                    {
                        var m = (g * Lanes) + lane;
                        if (m < members.Length)
                        {
                            var c = designs[m][sec];
                            a1[lane] = c.A1;
                            a2[lane] = c.A2;
                        }
                    }

                    var at = ((g * sections) + sec) * 2;
                    _coefficients[at] = Vector256.Create<double>(a1);
                    _coefficients[at + 1] = Vector256.Create<double>(a2);
                }
            }
        }

        public double[] Buffer { get; }

        /// <summary>
        /// Filters the first <paramref name="count"/> samples of <see cref="Buffer"/> through the stage's bands and, when
        /// there is a slower stage, decimates them into its buffer <paramref name="next"/>.
        /// </summary>
        /// <returns>The number of samples written to <paramref name="next"/>.</returns>
        public int Run(int count, double[] energy, long[] counts, double[]? next)
        {
            if (count == 0)
            {
                return 0;
            }

            if (_groups > 0 && next is not null && !_hasCarry && count % 2 == 0)
            {
                // The usual case: the last lane group's loop also runs the decimator, whose short recursions fill the
                // slots that the band recursions leave idle.
                var all = Buffer.AsSpan(0, count);
                for (var g = 0; g < _groups - 1; g++)
                {
                    Accumulate(g, _sections == 4 ? RunGroup4(g, all) : RunGroup3(g, all), count, energy, counts);
                }

                var last = _groups - 1;
                Accumulate(last, _sections == 4 ? RunGroup4Decimating(last, all, next) : RunGroup3Decimating(last, all, next), count, energy, counts);
                return count / 2;
            }

            RunBands(count, energy, counts);
            return next is null ? 0 : Decimate(count, next);
        }

        private void RunBands(int count, double[] energy, long[] counts)
        {
            if (_members.Length == 0)
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

            // One lane group per pass: a group's state fills most of the 16 vector registers, and two groups in one loop
            // spill state to the stack, which puts store-to-load forwarding into every recursion (measured slower).
            for (var g = 0; g < _groups; g++)
            {
                Accumulate(g, _sections == 4 ? RunGroup4(g, x) : RunGroup3(g, x), count, energy, counts);
            }
        }

        /// <summary>Low-pass filters the buffer with the half-band and writes every other output to <paramref name="next"/>.</summary>
        /// <remarks>
        /// Input pairs (x[2m], x[2m+1]) go through both branches at once in the two lanes of a <see cref="Vector128{T}"/>:
        /// lane 0 is branch 0 (AP(c0) then AP(c2)), lane 1 branch 1 (AP(c1) then AP(0), a one-sample delay, which is the
        /// z^-1 of the polyphase form). Output m is half the sum of the lanes. An odd sample left at the end of a buffer
        /// waits for its partner in the next call.
        /// </remarks>
        private int Decimate(int count, double[] next)
        {
            if (count == 0)
            {
                return 0;
            }

            var c1 = Vector128.Create(HalfBand0, HalfBand1);
            var c2 = Vector128.Create(HalfBand2, 0.0);
            var x1 = _x1;
            var y1 = _y1;
            var x2 = _x2;
            var y2 = _y2;
            var x = Buffer;
            var produced = 0;
            var i = 0;
            if (_hasCarry)
            {
                var v = Vector128.Create(_carry, x[0]);
                y1 = Vector128.FusedMultiplyAdd(-c1, y1, Vector128.FusedMultiplyAdd(c1, v, x1));
                x1 = v;
                y2 = Vector128.FusedMultiplyAdd(-c2, y2, Vector128.FusedMultiplyAdd(c2, y1, x2));
                x2 = y1;
                next[produced++] = 0.5 * (y2.GetElement(0) + y2.GetElement(1));
                i = 1;
            }

            ref var source = ref x[0];
            for (; i + 1 < count; i += 2)
            {
                var v = Vector128.LoadUnsafe(ref source, (nuint)i);
                y1 = Vector128.FusedMultiplyAdd(-c1, y1, Vector128.FusedMultiplyAdd(c1, v, x1));
                x1 = v;
                y2 = Vector128.FusedMultiplyAdd(-c2, y2, Vector128.FusedMultiplyAdd(c2, y1, x2));
                x2 = y1;
                next[produced++] = 0.5 * (y2.GetElement(0) + y2.GetElement(1));
            }

            _hasCarry = i < count;
            _carry = _hasCarry ? x[i] : 0;
            _x1 = x1;
            _y1 = y1;
            _x2 = x2;
            _y2 = y2;
            return produced;
        }

        public void Reset()
        {
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

            _x1 = _y1 = _x2 = _y2 = Vector128<double>.Zero;
            _carry = 0;
            _hasCarry = false;
        }

        private void Accumulate(int g, Vector256<double> acc, int count, double[] energy, long[] counts)
        {
            for (var lane = 0; lane < Lanes; lane++)
            {
                var m = (g * Lanes) + lane;
                if (m < _members.Length)
                {
                    energy[_members[m]] += acc.GetElement(lane) * _powerGains![m];
                    counts[_members[m]] += count;
                }
            }
        }

        // The kernels: per section y = x - t1, t1 = a1 y + t2, t2 = a2 y + x (transposed direct form II of
        // (1 - z^-2) / (1 + a1 z^-1 + a2 z^-2) with both states negated), all state in registers.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Vector256<double> RunGroup3(int g, ReadOnlySpan<double> x)
        {
            var c = _coefficients.AsSpan(g * 6, 6);
            var st = _state.AsSpan(g * 6, 6);
            var a10 = c[0];
            var a20 = c[1];
            var a11 = c[2];
            var a21 = c[3];
            var a12 = c[4];
            var a22 = c[5];
            var t10 = st[0];
            var t20 = st[1];
            var t11 = st[2];
            var t21 = st[3];
            var t12 = st[4];
            var t22 = st[5];
            var acc = Vector256<double>.Zero;
            foreach (var sample in x)
            {
                var v = Vector256.Create(sample);
                var y = v - t10;
                t10 = Fma(a10, y, t20);
                t20 = Fma(a20, y, v);
                v = y;
                y = v - t11;
                t11 = Fma(a11, y, t21);
                t21 = Fma(a21, y, v);
                v = y;
                y = v - t12;
                t12 = Fma(a12, y, t22);
                t22 = Fma(a22, y, v);
                acc = Fma(y, y, acc);
            }

            st[0] = t10;
            st[1] = t20;
            st[2] = t11;
            st[3] = t21;
            st[4] = t12;
            st[5] = t22;
            return acc;
        }

        // RunGroup3 and RunGroup4 with the half-band decimator of Decimate in the same loop, two samples per iteration
        // (count even, no odd sample waiting).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Vector256<double> RunGroup3Decimating(int g, ReadOnlySpan<double> x, double[] next)
        {
            var c = _coefficients.AsSpan(g * 6, 6);
            var st = _state.AsSpan(g * 6, 6);
            var a10 = c[0];
            var a20 = c[1];
            var a11 = c[2];
            var a21 = c[3];
            var a12 = c[4];
            var a22 = c[5];
            var t10 = st[0];
            var t20 = st[1];
            var t11 = st[2];
            var t21 = st[3];
            var t12 = st[4];
            var t22 = st[5];
            var h1 = Vector128.Create(HalfBand0, HalfBand1);
            var h2 = Vector128.Create(HalfBand2, 0.0);
            var x1 = _x1;
            var y1 = _y1;
            var x2 = _x2;
            var y2 = _y2;
            var output = next.AsSpan(0, x.Length / 2);
            ref var source = ref MemoryMarshal.GetReference(x);
            var acc = Vector256<double>.Zero;
            for (var m = 0; m < output.Length; m++)
            {
                var pair = Vector128.LoadUnsafe(ref source, (nuint)(2 * m));
                var v = Vector256.Create(pair.ToScalar());
                var y = v - t10;
                t10 = Fma(a10, y, t20);
                t20 = Fma(a20, y, v);
                v = y;
                y = v - t11;
                t11 = Fma(a11, y, t21);
                t21 = Fma(a21, y, v);
                v = y;
                y = v - t12;
                t12 = Fma(a12, y, t22);
                t22 = Fma(a22, y, v);
                acc = Fma(y, y, acc);

                v = Vector256.Create(pair.GetElement(1));
                y = v - t10;
                t10 = Fma(a10, y, t20);
                t20 = Fma(a20, y, v);
                v = y;
                y = v - t11;
                t11 = Fma(a11, y, t21);
                t21 = Fma(a21, y, v);
                v = y;
                y = v - t12;
                t12 = Fma(a12, y, t22);
                t22 = Fma(a22, y, v);
                acc = Fma(y, y, acc);

                y1 = Vector128.FusedMultiplyAdd(-h1, y1, Vector128.FusedMultiplyAdd(h1, pair, x1));
                x1 = pair;
                y2 = Vector128.FusedMultiplyAdd(-h2, y2, Vector128.FusedMultiplyAdd(h2, y1, x2));
                x2 = y1;
                output[m] = 0.5 * (y2.ToScalar() + y2.GetElement(1));
            }

            _x1 = x1;
            _y1 = y1;
            _x2 = x2;
            _y2 = y2;
            st[0] = t10;
            st[1] = t20;
            st[2] = t11;
            st[3] = t21;
            st[4] = t12;
            st[5] = t22;
            return acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Vector256<double> RunGroup4Decimating(int g, ReadOnlySpan<double> x, double[] next)
        {
            var c = _coefficients.AsSpan(g * 8, 8);
            var st = _state.AsSpan(g * 8, 8);
            var a10 = c[0];
            var a20 = c[1];
            var a11 = c[2];
            var a21 = c[3];
            var a12 = c[4];
            var a22 = c[5];
            var a13 = c[6];
            var a23 = c[7];
            var t10 = st[0];
            var t20 = st[1];
            var t11 = st[2];
            var t21 = st[3];
            var t12 = st[4];
            var t22 = st[5];
            var t13 = st[6];
            var t23 = st[7];
            var h1 = Vector128.Create(HalfBand0, HalfBand1);
            var h2 = Vector128.Create(HalfBand2, 0.0);
            var x1 = _x1;
            var y1 = _y1;
            var x2 = _x2;
            var y2 = _y2;
            var output = next.AsSpan(0, x.Length / 2);
            ref var source = ref MemoryMarshal.GetReference(x);
            var acc = Vector256<double>.Zero;
            for (var m = 0; m < output.Length; m++)
            {
                var pair = Vector128.LoadUnsafe(ref source, (nuint)(2 * m));
                var v = Vector256.Create(pair.ToScalar());
                var y = v - t10;
                t10 = Fma(a10, y, t20);
                t20 = Fma(a20, y, v);
                v = y;
                y = v - t11;
                t11 = Fma(a11, y, t21);
                t21 = Fma(a21, y, v);
                v = y;
                y = v - t12;
                t12 = Fma(a12, y, t22);
                t22 = Fma(a22, y, v);
                v = y;
                y = v - t13;
                t13 = Fma(a13, y, t23);
                t23 = Fma(a23, y, v);
                acc = Fma(y, y, acc);

                v = Vector256.Create(pair.GetElement(1));
                y = v - t10;
                t10 = Fma(a10, y, t20);
                t20 = Fma(a20, y, v);
                v = y;
                y = v - t11;
                t11 = Fma(a11, y, t21);
                t21 = Fma(a21, y, v);
                v = y;
                y = v - t12;
                t12 = Fma(a12, y, t22);
                t22 = Fma(a22, y, v);
                v = y;
                y = v - t13;
                t13 = Fma(a13, y, t23);
                t23 = Fma(a23, y, v);
                acc = Fma(y, y, acc);

                y1 = Vector128.FusedMultiplyAdd(-h1, y1, Vector128.FusedMultiplyAdd(h1, pair, x1));
                x1 = pair;
                y2 = Vector128.FusedMultiplyAdd(-h2, y2, Vector128.FusedMultiplyAdd(h2, y1, x2));
                x2 = y1;
                output[m] = 0.5 * (y2.ToScalar() + y2.GetElement(1));
            }

            _x1 = x1;
            _y1 = y1;
            _x2 = x2;
            _y2 = y2;
            st[0] = t10;
            st[1] = t20;
            st[2] = t11;
            st[3] = t21;
            st[4] = t12;
            st[5] = t22;
            st[6] = t13;
            st[7] = t23;
            return acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Vector256<double> RunGroup4(int g, ReadOnlySpan<double> x)
        {
            var c = _coefficients.AsSpan(g * 8, 8);
            var st = _state.AsSpan(g * 8, 8);
            var a10 = c[0];
            var a20 = c[1];
            var a11 = c[2];
            var a21 = c[3];
            var a12 = c[4];
            var a22 = c[5];
            var a13 = c[6];
            var a23 = c[7];
            var t10 = st[0];
            var t20 = st[1];
            var t11 = st[2];
            var t21 = st[3];
            var t12 = st[4];
            var t22 = st[5];
            var t13 = st[6];
            var t23 = st[7];
            var acc = Vector256<double>.Zero;
            foreach (var sample in x)
            {
                var v = Vector256.Create(sample);
                var y = v - t10;
                t10 = Fma(a10, y, t20);
                t20 = Fma(a20, y, v);
                v = y;
                y = v - t11;
                t11 = Fma(a11, y, t21);
                t21 = Fma(a21, y, v);
                v = y;
                y = v - t12;
                t12 = Fma(a12, y, t22);
                t22 = Fma(a22, y, v);
                v = y;
                y = v - t13;
                t13 = Fma(a13, y, t23);
                t23 = Fma(a23, y, v);
                acc = Fma(y, y, acc);
            }

            st[0] = t10;
            st[1] = t20;
            st[2] = t11;
            st[3] = t21;
            st[4] = t12;
            st[5] = t22;
            st[6] = t13;
            st[7] = t23;
            return acc;
        }
    }
}
