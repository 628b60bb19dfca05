using System.Runtime.InteropServices;

namespace Friture.Streaming.Tests.Dsp.Loudness;

/// <summary>
/// libebur128 1.2 (Debian libebur128-1, installed by scripts/ci/loudness.sh) through P/Invoke: the independent reference
/// the loudness meter is compared with. Block list mode (no histogram), so its integrated loudness and range are exact.
/// </summary>
internal sealed partial class LibEbur128 : IDisposable
{
    public const string Library = "libebur128.so.1";

    // EBUR128_MODE_M | S | I | LRA | SAMPLE_PEAK | TRUE_PEAK.
    private const int AllModes = 63;

    private nint _state;

    public LibEbur128(int channels, int sampleRate, int[]? channelMap = null)
    {
        _state = ebur128_init((uint)channels, (nuint)sampleRate, AllModes);
        if (_state == 0)
        {
            throw new InvalidOperationException("ebur128_init failed");
        }

        if (channelMap is { } map)
        {
            for (var c = 0; c < map.Length; c++)
            {
                Check(ebur128_set_channel(_state, (uint)c, map[c]));
            }
        }
    }

    /// <summary>libebur128's channel identifiers.</summary>
    public enum Channel
    {
        Unused = 0,
        Left = 1,
        Right = 2,
        Center = 3,
        LeftSurround = 4,
        RightSurround = 5,
    }

    public static bool IsAvailable
    {
        get
        {
            if (!NativeLibrary.TryLoad(Library, out var handle))
            {
                return false;
            }

            NativeLibrary.Free(handle);
            return true;
        }
    }

    public double Momentary => Get(ebur128_loudness_momentary);

    public double ShortTerm => Get(ebur128_loudness_shortterm);

    public double Integrated => Get(ebur128_loudness_global);

    public double Range => Get(ebur128_loudness_range);

    /// <summary>Skips the calling test when libebur128 is missing, except under CI=true where it fails.</summary>
    public static void RequireOrSkip() =>
        Prerequisite.Require(IsAvailable, $"{Library} is not installed; run scripts/ci/loudness.sh (installs libebur128-1)");

    public unsafe void Add(ReadOnlySpan<float> interleaved, int channels)
    {
        fixed (float* p = interleaved)
        {
            Check(ebur128_add_frames_float(_state, p, (nuint)(interleaved.Length / channels)));
        }
    }

    public double SamplePeak(int channel)
    {
        Check(ebur128_sample_peak(_state, (uint)channel, out var value));
        return value;
    }

    public double TruePeak(int channel)
    {
        Check(ebur128_true_peak(_state, (uint)channel, out var value));
        return value;
    }

    public void Dispose()
    {
        if (_state != 0)
        {
            ebur128_destroy(ref _state);
        }
    }

    private static void Check(int error)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"libebur128 error {error}");
        }
    }

    private double Get(Getter getter)
    {
        Check(getter(_state, out var value));
        return value;
    }

    private delegate int Getter(nint state, out double value);

    [LibraryImport(Library)]
    private static partial nint ebur128_init(uint channels, nuint sampleRate, int mode);

    [LibraryImport(Library)]
    private static partial void ebur128_destroy(ref nint state);

    [LibraryImport(Library)]
    private static partial int ebur128_set_channel(nint state, uint channel, int value);

    [LibraryImport(Library)]
    private static unsafe partial int ebur128_add_frames_float(nint state, float* source, nuint frames);

    [LibraryImport(Library)]
    private static partial int ebur128_loudness_momentary(nint state, out double value);

    [LibraryImport(Library)]
    private static partial int ebur128_loudness_shortterm(nint state, out double value);

    [LibraryImport(Library)]
    private static partial int ebur128_loudness_global(nint state, out double value);

    [LibraryImport(Library)]
    private static partial int ebur128_loudness_range(nint state, out double value);

    [LibraryImport(Library)]
    private static partial int ebur128_sample_peak(nint state, uint channel, out double value);

    [LibraryImport(Library)]
    private static partial int ebur128_true_peak(nint state, uint channel, out double value);
}
