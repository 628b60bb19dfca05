using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Configuration;

/// <summary>What a <see cref="ProtocolKind"/> hands to every protocol it creates from settings: logging and the clock.</summary>
public sealed class ProtocolContext
{
    /// <summary>Logger factory, or <see langword="null"/> for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
