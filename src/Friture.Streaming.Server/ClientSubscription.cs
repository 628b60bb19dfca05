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
    /// The resolution of large payloads (spectra, scope, octave bands) the client asked for
    /// (<c>fft_spectrum.points=512</c>, <c>resolution=full</c>, or a <c>"resolution"</c> object in the subscribe
    /// message); <see langword="null"/> (the default) = the protocol's <c>Resolution</c> option, itself
    /// <see cref="ResolutionRequest.NetworkDefault"/> unless configured. See <c>docs/wire-format.md</c>.
    /// </summary>
    public ResolutionRequest? Resolution { get; init; }

    /// <summary>
    /// The wire format for this client (<c>format=json|binary</c>); <see langword="null"/> (the default) = the
    /// protocol's configured format. SSE is text only and always sends JSON.
    /// </summary>
    public SerializationFormat? Format { get; init; }

    /// <summary>
    /// How long this client's messages may wait to leave with the next audio blocks' (<c>linger_ms=0..1000</c>);
    /// <see langword="null"/> (the default) = the protocol's <c>Linger</c> option (25 ms unless configured).
    /// </summary>
    public TimeSpan? Linger { get; init; }

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
