using System.Text.Json.Serialization;

namespace Friture.Streaming.Data;

/// <summary>Relative polarity of the two channels compared by the delay estimator.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Polarity>))]
public enum Polarity
{
    /// <summary>Not enough signal to tell.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown = 0,

    /// <summary>Both channels have the same polarity (positive correlation peak).</summary>
    [JsonStringEnumMemberName("in_phase")]
    InPhase = 1,

    /// <summary>One channel is inverted (negative correlation peak).</summary>
    [JsonStringEnumMemberName("reversed")]
    Reversed = 2,
}
