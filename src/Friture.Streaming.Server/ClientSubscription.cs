using System.Collections.Immutable;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Server;

/// <summary>
/// What one network client receives: which data types, at what rate. The same model on every protocol: a query string
/// on WebSocket and SSE (<c>?types=pitch_tracker,levels&amp;rate=10</c>), a JSON control message on WebSocket and TCP,
/// and an argument of <c>UdpProtocol.AddClient</c>.
/// </summary>
/// <remarks>Application messages sent with <c>SendData</c> reach every client whatever its subscription.</remarks>
public sealed record ClientSubscription
{
    /// <summary>Every data type, every message.</summary>
    public static ClientSubscription All { get; } = new();

    /// <summary>The data types to receive; empty (the default) means every type.</summary>
    public ImmutableArray<DataType> Types { get; init; } = [];

    /// <summary>
    /// Maximum rate in messages per second for each data type, 0 (the default, every message) to 1,000. Messages over
    /// the rate are skipped at the server, not queued.
    /// </summary>
    public double RateHz { get; init; }

    /// <summary>
    /// WebSocket only: when the client has fallen behind, send the queued JSON messages as one text frame holding a
    /// JSON array of envelopes instead of one frame each. Default <see langword="false"/>.
    /// </summary>
    public bool Batch { get; init; }

    /// <summary>
    /// The resolution of large payloads (spectra, scope, octave bands): <see cref="ResolutionRequest.NetworkDefault"/>
    /// unless the client asks otherwise (<c>fft_spectrum.points=512</c>, <c>resolution=full</c>, or a
    /// <c>"resolution"</c> object in the subscribe message). See <c>docs/wire-format.md</c>.
    /// </summary>
    public ResolutionRequest Resolution { get; init; } = ResolutionRequest.NetworkDefault;

    /// <summary>
    /// The wire format for this client (<c>format=json|binary</c>); <see langword="null"/> (the default) = the
    /// protocol's configured format. SSE is text only and always sends JSON.
    /// </summary>
    public SerializationFormat? Format { get; init; }

    /// <summary>Whether the subscription includes <paramref name="dataType"/>.</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns><see langword="true"/> when the client receives that type.</returns>
    public bool Includes(DataType dataType)
    {
        if (Types.IsDefaultOrEmpty)
        {
            return true;
        }

        foreach (var type in Types)
        {
            if (ReferenceEquals(type, dataType))
            {
                return true;
            }
        }

        return false;
    }
}
