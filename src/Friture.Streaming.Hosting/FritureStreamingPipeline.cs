using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Audio;
using Friture.Streaming.Configuration;
using Friture.Streaming.Consumers;
using Friture.Streaming.Hosting.Diagnostics;
using Friture.Streaming.Hosting.Input;
using Friture.Streaming.Protocols;
using Friture.Streaming.Server;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming.Hosting;

/// <summary>
/// The whole analysis pipeline of a host: a <see cref="StreamingApi"/> with its audio input, the built-in analyzers, the
/// settings' consumers and protocols, and the WebSocket/SSE protocols that <c>MapFritureStreaming</c> serves.
/// </summary>
/// <remarks>
/// Registered as a singleton by <c>AddFritureStreaming</c>; the hosted service starts it with the host and stops it
/// (capture stopped, queues drained, files flushed, ports freed) when the host stops. Thread-safe.
/// </remarks>
public sealed class FritureStreamingPipeline : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<StreamingProtocol> _mapped = [];
    private bool _disposed;

    /// <summary>Builds the pipeline: opens the input, registers the analyzers, applies the settings.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="loggerFactory">Logger factory, or null.</param>
    /// <param name="timeProvider">Clock, or null for the system clock.</param>
    /// <param name="kinds">Protocol kinds for the settings' protocols; default <see cref="ServerProtocolKinds.All"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="StreamingSettingsException">A setting is invalid.</exception>
    /// <exception cref="AudioSourceException">The input cannot be opened.</exception>
    public FritureStreamingPipeline(FritureStreamingOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IEnumerable<ProtocolKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Kinds = [.. kinds ?? ServerProtocolKinds.All];
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = LoggerFactory.CreateLogger<FritureStreamingPipeline>();
        (var source, InputDescription) = options.AudioSource is { } custom
            ? (custom, $"audio source {custom.Name}")
            : AudioInputResolver.Resolve(options.Input);
        Api = new StreamingApi(new StreamingApiOptions
        {
            BlockSize = options.BlockSize,
            LoggerFactory = LoggerFactory,
            TimeProvider = TimeProvider,
            AudioSource = source,
        });
        try
        {
            foreach (var analyzer in BuiltInAnalyzers.All)
            {
                Api.RegisterProducer(analyzer.CreateProducer(options.Analyzers.OptionsFor(analyzer), analyzer.DataType.Name));
            }
            Api.ApplySettings(options.Settings, Kinds, new ProtocolContext { LoggerFactory = LoggerFactory, TimeProvider = TimeProvider });
        }
        catch
        {
            Api.DisposeAsync().AsTask().GetAwaiter().GetResult();
            source?.Dispose();
            throw;
        }

        Log.PipelineBuilt(_logger, InputDescription);
        if (source is not null && DelayEstimatorProducer.InactiveReasonFor(options.Analyzers.DelayEstimator, source.Format.Channels) is { } inactive)
        {
            // Once here, rather than an error per block: a mono input is a normal way to run.
            Log.DelayEstimatorInactive(_logger, inactive);
        }
    }

    /// <summary>The streaming API: register consumers on it, read statistics, publish your own data.</summary>
    public StreamingApi Api { get; }

    /// <summary>The protocol kinds the pipeline creates and describes protocols with.</summary>
    public IReadOnlyList<ProtocolKind> Kinds { get; }

    /// <summary>The options the pipeline was built from.</summary>
    public FritureStreamingOptions Options { get; }

    /// <summary>One sentence saying what is analysed (for example <c>built-in demo signal (440 Hz sine ...)</c>).</summary>
    public string InputDescription { get; }

    /// <summary>The logger factory the pipeline and its protocols log to.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The pipeline's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The WebSocket protocol served by the application (set by <c>MapFritureStreaming</c>), or null.</summary>
    public WebSocketProtocol? WebSocket { get; private set; }

    /// <summary>The SSE protocol served by the application (set by <c>MapFritureStreaming</c>), or null.</summary>
    public HttpSseProtocol? Sse { get; private set; }

    /// <summary>Whether the pipeline streams.</summary>
    public bool IsRunning => Api.IsStreaming;

    /// <summary>Starts streaming: protocols, then capture.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when everything runs.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Api.StartStreamingAsync(cancellationToken).ConfigureAwait(false);
        Log.PipelineStarted(_logger, InputDescription);
    }

    /// <summary>Stops streaming: capture stopped, every queued message delivered, files flushed, protocols stopped.</summary>
    /// <param name="cancellationToken">Cancels waiting for a start in progress; once stopping has begun it completes (see <see cref="StreamingApi.StopStreamingAsync"/>).</param>
    /// <returns>A task that completes when everything is stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await Api.StopStreamingAsync(cancellationToken).ConfigureAwait(false);
        Log.PipelineStopped(_logger);
    }

    /// <summary>
    /// The settings in effect (rate limits, buffers, consumers, self-hosted protocols), without the endpoints served
    /// by the application, which the host's own configuration describes.
    /// </summary>
    /// <returns>The settings, ready to save.</returns>
    public StreamingSettings CaptureSettings()
    {
        var settings = Api.CaptureSettings(Kinds);
        settings.Resolution ??= Options.Settings.Resolution;
        var protocols = Api.Protocols;
        lock (_gate)
        {
            // CaptureSettings lists protocols in Api.Protocols order, one entry each.
            for (var i = Math.Min(protocols.Count, settings.Protocols.Count) - 1; i >= 0; i--)
            {
                if (_mapped.Contains(protocols[i]))
                {
                    settings.Protocols.RemoveAt(i);
                }
            }
        }

        return settings;
    }

    /// <summary>Stops streaming and releases the API, its protocols and the audio source.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await Api.DisposeAsync().ConfigureAwait(false);
        Api.AudioSource?.Dispose();
    }

    internal WebSocketProtocol CreateMappedWebSocket()
    {
        var options = EndpointOptions<WebSocketProtocolOptions>(o => o.AllowedHosts);
        options.ControlExtension = new LiveSettings.AnalyzerReconfigurator(Api).Handle;
        var protocol = new WebSocketProtocol(options: options);
        WebSocket = protocol;
        return protocol;
    }

    internal HttpSseProtocol CreateMappedSse()
    {
        var protocol = new HttpSseProtocol(options: EndpointOptions<HttpSseProtocolOptions>(o => o.AllowedHosts));
        Sse = protocol;
        return protocol;
    }

    /// <summary>Options of a mapped endpoint (WebSocket or SSE) from the shared endpoint settings.</summary>
    private TOptions EndpointOptions<TOptions>(Func<TOptions, IList<string>> allowedHosts)
        where TOptions : ProtocolOptions, new()
    {
        var endpoints = Options.Endpoints;
        var options = new TOptions
        {
            LoggerFactory = LoggerFactory,
            TimeProvider = TimeProvider,
            AccessToken = endpoints.AccessToken,
            MaxConnections = endpoints.MaxConnections,
            MaxConnectionsPerAddress = endpoints.MaxConnectionsPerAddress,
            StalledClientTimeout = endpoints.StalledClientTimeout,
            Linger = endpoints.Linger,
        };
        if (Options.Settings.Resolution is { } resolution)
        {
            // The settings' global resolution is the endpoints' default too (clients still choose their own in the URL).
            options.InheritResolution(resolution);
        }

        var hosts = allowedHosts(options);
        foreach (var host in endpoints.AllowedHosts)
        {
            hosts.Add(host);
        }

        return options;
    }

    /// <summary>Adds a protocol the application serves (already mapped) and sends it every built-in data type.</summary>
    internal void AddMapped(StreamingProtocol protocol)
    {
        lock (_gate)
        {
            _mapped.Add(protocol);
        }

        Api.AddProtocol(protocol);
        var consumer = new NetworkConsumer(protocol, consumerId: protocol.Name + "-endpoint");
        foreach (var type in DataType.BuiltIn)
        {
            Api.RegisterConsumer(type, consumer);
        }
    }
}
