namespace Friture.Streaming.Configuration;

/// <summary>
/// Returned by <c>services.AddFritureStreaming(...)</c>: protocol packages add their kinds to the settings schema
/// through it (<c>.AddMqtt()</c>, <c>.AddOsc()</c>), so that settings files, appsettings and flags can name them.
/// </summary>
public interface IFritureStreamingBuilder
{
    /// <summary>Adds a protocol kind; a later kind with the same name replaces an earlier one.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>This builder.</returns>
    IFritureStreamingBuilder AddProtocolKind(ProtocolKind kind);
}
