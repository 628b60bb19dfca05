namespace Friture.Streaming.TestSupport;

/// <summary>
/// Trait values for <c>[Trait("Category", ...)]</c>. The fast lane (<c>./scripts/test.sh --fast</c>) leaves out
/// <see cref="Integration"/> tests.
/// </summary>
public static class TestCategory
{
    /// <summary>The trait name.</summary>
    public const string Name = "Category";

    /// <summary>
    /// A test that needs a program, daemon or device outside the test process (PulseAudio, Mosquitto, oscdump, aubio,
    /// Chromium, Wine, a sample process), or runs for seconds on real time.
    /// </summary>
    public const string Integration = "Integration";
}
