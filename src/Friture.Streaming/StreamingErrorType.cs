using System.Text.Json.Serialization;

namespace Friture.Streaming;

/// <summary>The kind of problem reported by <see cref="StreamingApi.ErrorOccurred"/> (<c>error_type</c> in the original Friture streaming API).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamingErrorType>))]
public enum StreamingErrorType
{
    /// <summary>A consumer threw while handling a message; it keeps receiving.</summary>
    [JsonStringEnumMemberName("consumer_error")]
    ConsumerError,

    /// <summary>A producer threw while analysing or building a payload; its message was skipped.</summary>
    [JsonStringEnumMemberName("producer_error")]
    ProducerError,

    /// <summary>Audio was lost because analysis or the backend fell behind (an overrun / xrun).</summary>
    [JsonStringEnumMemberName("audio_overrun")]
    AudioOverrun,

    /// <summary>The audio source failed (device unplugged, sound server gone, corrupt file); capture stopped.</summary>
    [JsonStringEnumMemberName("audio_source_failed")]
    AudioSourceFailed,

    /// <summary>A network protocol failed (port in use, client error).</summary>
    [JsonStringEnumMemberName("protocol_error")]
    ProtocolError,

    /// <summary>A file could not be written.</summary>
    [JsonStringEnumMemberName("io_error")]
    IoError,

    /// <summary>A setting or option was invalid.</summary>
    [JsonStringEnumMemberName("configuration_error")]
    ConfigurationError,
}
