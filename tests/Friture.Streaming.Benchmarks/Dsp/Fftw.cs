using System.Runtime.InteropServices;

namespace Friture.Streaming.Benchmarks.Dsp;

/// <summary>Minimal binding to libfftw3f (single precision) loaded at run time, so a machine without it still runs the suite.</summary>
internal static unsafe class Fftw
{
    public const uint Measure = 0;
    public const uint Estimate = 1u << 6;
    public const uint Patient = 1u << 5;

    private static readonly nint Library = Load();

    public static bool IsAvailable => Library != 0;

    public static string? Version { get; } = IsAvailable && NativeLibrary.TryGetExport(Library, "fftwf_version", out var v)
        ? Marshal.PtrToStringAnsi(v)
        : null;

    // Each export is resolved once, here: resolving fftwf_execute on every call (NativeLibrary.GetExport, as an earlier
    // version of this binding did) cost 8 to 12 % of FFTW's own time at N = 1024.
    public static readonly delegate* unmanaged<nuint, void*> Malloc = (delegate* unmanaged<nuint, void*>)Export("fftwf_malloc");

    public static readonly delegate* unmanaged<void*, void> Free = (delegate* unmanaged<void*, void>)Export("fftwf_free");

    public static readonly delegate* unmanaged<int, float*, float*, uint, nint> PlanR2C =
        (delegate* unmanaged<int, float*, float*, uint, nint>)Export("fftwf_plan_dft_r2c_1d");

    public static readonly delegate* unmanaged<nint, void> Execute = (delegate* unmanaged<nint, void>)Export("fftwf_execute");

    public static readonly delegate* unmanaged<nint, void> DestroyPlan = (delegate* unmanaged<nint, void>)Export("fftwf_destroy_plan");

    private static nint Export(string name) => Library != 0 && NativeLibrary.TryGetExport(Library, name, out var address) ? address : 0;

    private static nint Load()
    {
        foreach (var name in new[] { "libfftw3f.so.3", "libfftw3f.so", "libfftw3f-3", "libfftw3f.3.dylib" })
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return handle;
            }
        }

        return 0;
    }
}
