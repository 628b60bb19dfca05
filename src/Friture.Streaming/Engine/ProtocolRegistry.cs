using Friture.Streaming.Protocols;

namespace Friture.Streaming.Engine;

/// <summary>The network protocols added to the engine; they start and stop with streaming, and their errors are routed to <see cref="ErrorRouter"/>.</summary>
internal sealed class ProtocolRegistry(RegistrationGate gate, ErrorRouter errors)
{
    private readonly List<StreamingProtocol> _protocols = [];

    /// <summary>A copy of the list.</summary>
    /// <returns>The protocols, in the order added.</returns>
    public StreamingProtocol[] Snapshot()
    {
        lock (gate.Sync)
        {
            return [.. _protocols];
        }
    }

    /// <summary>Adds a protocol once.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>Whether it was new.</returns>
    public bool Add(StreamingProtocol protocol)
    {
        lock (gate.Sync)
        {
            gate.ThrowIfDisposed();
            if (_protocols.Contains(protocol))
            {
                return false;
            }

            _protocols.Add(protocol);
            protocol.ErrorOccurred += OnProtocolError;
            return true;
        }
    }

    /// <summary>Removes a protocol and stops it.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>Whether it was added.</returns>
    public async Task<bool> RemoveAsync(StreamingProtocol protocol)
    {
        lock (gate.Sync)
        {
            if (!_protocols.Remove(protocol))
            {
                return false;
            }

            protocol.ErrorOccurred -= OnProtocolError;
        }

        await protocol.StopAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Starts every protocol not running; on failure stops those it started and rethrows.</summary>
    /// <param name="afterProtocols">Runs once the protocols run (audio capture); its failure stops them too.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when everything runs.</returns>
    public async Task StartAllAsync(Action afterProtocols, CancellationToken cancellationToken)
    {
        var started = new List<StreamingProtocol>();
        try
        {
            foreach (var protocol in Snapshot())
            {
                if (!protocol.IsRunning)
                {
                    await protocol.StartAsync(cancellationToken).ConfigureAwait(false);
                    started.Add(protocol);
                }
            }

            afterProtocols();
        }
        catch
        {
            foreach (var protocol in started)
            {
                await protocol.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Stops every protocol together, closing its connections and freeing its port: a stop takes as long as the slowest
    /// protocol's close (bounded by its close timeout), not the sum.
    /// </summary>
    /// <returns>A task that completes when all are stopped.</returns>
    public Task StopAllAsync()
    {
        var protocols = Snapshot();
        var stops = new Task[protocols.Length];
        for (var i = 0; i < stops.Length; i++)
        {
            stops[i] = protocols[i].StopAsync(CancellationToken.None);
        }

        return Task.WhenAll(stops);
    }

    /// <summary>Disposes every protocol. Call once the engine is marked disposed.</summary>
    /// <returns>A task that completes when all are disposed.</returns>
    public async Task DisposeAllAsync()
    {
        foreach (var protocol in Snapshot())
        {
            await protocol.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnProtocolError(object? sender, ProtocolErrorEventArgs e) =>
        errors.Report(StreamingErrorType.ProtocolError, $"{e.Protocol}: {e.Message}", e.Exception);
}
