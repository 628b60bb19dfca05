using System.Text.Json.Serialization;

namespace Friture.Streaming.Reduction;

/// <summary>How the bands of a reduced spectrum are spaced between its minimum and maximum frequency.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpectrumScale>))]
public enum SpectrumScale
{
    /// <summary>Logarithmically spaced bands (<c>log</c>): equal width in octaves, as a dashboard draws them.</summary>
    [JsonStringEnumMemberName("log")]
    Log = 0,

    /// <summary>Equally wide bands in Hz (<c>linear</c>).</summary>
    [JsonStringEnumMemberName("linear")]
    Linear = 1,
}
