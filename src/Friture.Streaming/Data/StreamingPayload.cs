namespace Friture.Streaming.Data;

/// <summary>
/// Base of every payload carried in <see cref="StreamingData.Data"/>.
/// </summary>
/// <remarks>
/// Payloads are immutable: a single instance is shared by every consumer of a message, so no consumer can change what
/// another one sees. Arrays are exposed as <see cref="System.Collections.Immutable.ImmutableArray{T}"/>.
/// Derive from this record to stream an application-defined data type (see <see cref="DataType.Register{TPayload}"/>).
/// </remarks>
public abstract record StreamingPayload
{
    /// <summary>
    /// An estimate of the managed memory this payload holds, in bytes, used for the buffer-memory statistics.
    /// </summary>
    /// <returns>The estimated size in bytes; the default is a fixed 64 bytes.</returns>
    public virtual long EstimateSizeBytes() => 64;
}
