using System.Globalization;
using System.Net;
using Friture.Streaming.Audio;
using Friture.Streaming.Cli.Views;
using Friture.Streaming.Configuration;
using Friture.Streaming.Hosting;
using Friture.Streaming.Protocols;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Friture.Streaming.Cli.Commands;

/// <summary>Runs one validated invocation: web server + pipeline, the terminal view, then a clean stop.</summary>
internal sealed class CliRunner(CliConfiguration configuration, TextWriter output, TextWriter error)
{
    private readonly CliLogGate _logGate = new(Console.Error, configuration.LogLevel <= LogLevel.Debug);
    private LiveLog? _liveLog;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (configuration.ListDevices)
        {
            return await ListDevicesAsync().ConfigureAwait(false);
        }

        var live = UseLiveView();
        try
        {
            // The live view owns the terminal: log lines go to its scroll area (and --log-file), never to the console.
            _liveLog = configuration.LogLevel != LogLevel.None && (live || configuration.LogFilePath is not null)
                ? new LiveLog(configuration.LogLevel, configuration.LogFilePath)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await error.WriteLineAsync($"friture-stream: error: cannot open --log-file {configuration.LogFilePath}: {ex.Message}").ConfigureAwait(false);
            return CliApplication.ExitUsage;
        }

        try
        {
            return await RunWithViewAsync(live, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_liveLog is not null)
            {
                await _liveLog.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<int> RunWithViewAsync(bool live, CancellationToken cancellationToken)
    {
        IHost app;
        FritureStreamingPipeline pipeline;
        try
        {
            app = Build();
            pipeline = app.Services.GetRequiredService<FritureStreamingPipeline>();
        }
        catch (OptionsValidationException ex)
        {
            _logGate.Release(ex.Failures.FirstOrDefault());
            foreach (var failure in ex.Failures)
            {
                await error.WriteLineAsync($"friture-stream: error: {failure}").ConfigureAwait(false);
            }

            return CliApplication.ExitUsage;
        }
        catch (Exception ex) when (ex is StreamingSettingsException or ArgumentOutOfRangeException)
        {
            _logGate.Release(Message(ex));
            await error.WriteLineAsync($"friture-stream: error: {Message(ex)}").ConfigureAwait(false);
            return CliApplication.ExitUsage;
        }
        catch (AudioSourceException ex)
        {
            _logGate.Release(ex.Message);
            await error.WriteLineAsync($"friture-stream: error: the audio input cannot be opened: {ex.Message}").ConfigureAwait(false);
            return CliApplication.ExitFailure;
        }

        await using (AsAsyncDisposable(app).ConfigureAwait(false))
        {
            await output.WriteLineAsync($"friture-stream: analysing {pipeline.InputDescription}").ConfigureAwait(false);
            var snapshot = new AnalysisSnapshot();
            var viewConsumer = snapshot.CreateConsumer();
            foreach (var type in new[] { DataType.Levels, DataType.PitchTracker, DataType.FftSpectrum, DataType.OctaveSpectrum, DataType.DelayEstimator, DataType.Loudness })
            {
                pipeline.Api.RegisterConsumer(type, viewConsumer);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var ended = false;
            pipeline.Api.AudioSourceEnded += (_, _) =>
            {
                Volatile.Write(ref ended, true);
                stop.Cancel();
            };
            // A source that fails while streaming (a device unplugged, the sound server gone, a file cut short) ends the
            // run: one error line naming the input and the likely fix, a clean stop, exit code 1. Without audio nothing
            // would be analysed, and a supervisor (systemd, a script) sees the failure and can start it again.
            string? inputFailure = null;
            void OnError(object? sender, StreamingErrorEventArgs e)
            {
                if (e.ErrorType == StreamingErrorType.AudioSourceFailed
                    && Interlocked.CompareExchange(ref inputFailure, InputFailure(e), null) is null)
                {
                    try
                    {
                        stop.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // Raised after the run ended (a failure at start, reported by the start path).
                    }
                }
            }

            pipeline.Api.ErrorOccurred += OnError;
            using var unsubscribe = new Unsubscriber(() => pipeline.Api.ErrorOccurred -= OnError);
            if (configuration.Duration is { } duration)
            {
                // Counted from the start of capture (hosted services start before the web server), so --duration N
                // analyses about N seconds of audio.
                stop.CancelAfter(duration);
            }

            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                _logGate.Release(null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _logGate.Release(null);
                return CliApplication.ExitOk;
            }
            catch (Exception ex) when (ex is ProtocolException or IOException or AudioSourceException or InvalidOperationException)
            {
                await error.WriteLineAsync($"friture-stream: error: cannot start: {StartFailure(ex)}").ConfigureAwait(false);
                _logGate.Release(ex.Message);
                await pipeline.StopAsync(CancellationToken.None).ConfigureAwait(false);
                return CliApplication.ExitFailure;
            }

            var header = Endpoints(app, pipeline);
            if (!live)
            {
                // The live view shows the header itself: printing it here too showed it twice.
                foreach (var line in header)
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            if (configuration.SaveSettingsPath is { } savePath)
            {
                SaveSettings(pipeline, savePath);
                await output.WriteLineAsync($"friture-stream: settings saved to {savePath}").ConfigureAwait(false);
            }

            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            var why = "stopped";
            try
            {
                if (live)
                {
                    await RunLiveViewAsync(snapshot, header, _liveLog, stop.Token).ConfigureAwait(false);
                }
                else
                {
                    await RunPlainViewAsync(snapshot, stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                why = Volatile.Read(ref inputFailure) is not null ? "audio input failed"
                    : Volatile.Read(ref ended) ? "end of input" : cancellationToken.IsCancellationRequested ? "interrupted" : "duration reached";
            }

            if (Volatile.Read(ref inputFailure) is { } failure)
            {
                await error.WriteLineAsync($"friture-stream: error: {failure}").ConfigureAwait(false);
                await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"friture-stream: stopping ({why}): flushing consumers, closing connections").ConfigureAwait(false);
            var stopping = TimeProvider.System.GetTimestamp();

            // Capture first, then the queues, then the connections (WebSocket 1001, a final SSE event, TCP FIN), and only
            // then the web server, which has no open stream left to wait for.
            await pipeline.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            var stopSeconds = TimeProvider.System.GetElapsedTime(stopping).TotalSeconds;
            foreach (var line in StopSummary.Lines(snapshot, pipeline.Api.GetStatistics(), stopSeconds))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (Volatile.Read(ref inputFailure) is not null)
            {
                return CliApplication.ExitFailure;
            }
        }

        return CliApplication.ExitOk;
    }

    /// <summary>A source failure while streaming, in one line: what failed (the source's message names it) and the likely fix.</summary>
    private string InputFailure(StreamingErrorEventArgs e)
    {
        // The source's own message names the device or file; the API's wraps it as "Audio source 'x' failed: ...".
        var message = (e.Exception is AudioSourceException source ? source.Message : e.Message).ReplaceLineEndings(" ").TrimEnd();
        if (!message.EndsWith('.'))
        {
            message += ".";
        }

        var fix = configuration.Streaming.Input.Kind switch
        {
            FritureInputKind.Wav => " Check that the file is complete and readable, then start friture-stream again.",
            FritureInputKind.Generator or FritureInputKind.None => string.Empty,
            _ => " Check that the device is still connected and the sound server is running ('friture-stream --list-devices' lists the capture sources), then start friture-stream again.",
        };
        return $"the audio input stopped: {message}{fix}";
    }

    /// <summary>
    /// The host: a web application (Kestrel) only when a web endpoint is served; with <c>--no-websocket --no-sse
    /// --no-dashboard</c> a plain generic host, so that no HTTP listener opens at all.
    /// </summary>
    private IHost Build()
    {
        if (!configuration.ServesHttp)
        {
            var worker = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "friture-stream", Args = [], DisableDefaults = true });
            ConfigureServices(worker.Services, worker.Logging);
            return worker.Build();
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "friture-stream", Args = [] });
        ConfigureServices(builder.Services, builder.Logging);
        // Socket writes on the thread that flushes (the stream's send loop) rather than a thread-pool hop per message: see
        // ClientSession and docs/performance.md. Every handler here is asynchronous, so nothing blocks an I/O thread.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var host = configuration.Host;
            var port = configuration.Port;
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                if (port == 0)
                {
                    kestrel.Listen(IPAddress.Loopback, 0);
                }
                else
                {
                    kestrel.ListenLocalhost(port);
                }
            }
            else if (host is "*" or "0.0.0.0" or "::")
            {
                kestrel.ListenAnyIP(port);
            }
            else
            {
                foreach (var address in Dns.GetHostAddresses(host))
                {
                    kestrel.Listen(address, port);
                }
            }
        });
        var app = builder.Build();
        app.MapFritureStreaming();
        return app;
    }

    private void ConfigureServices(IServiceCollection services, ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(configuration.LogLevel);
        if (_liveLog is not null)
        {
            logging.AddProvider(_liveLog);
            if (configuration.LogLevel > LogLevel.Debug)
            {
                logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
                logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None);
            }
        }
        else if (configuration.LogLevel != LogLevel.None)
        {
            // One line per entry, stack traces only at debug/trace; start-up failures are reported by the runner itself
            // (one line with the likely fix), so the host's own "Hosting failed to start" entry is left out.
            services.AddSingleton(_logGate);
            logging.AddConsole(o => o.FormatterName = CliConsoleFormatter.FormatterName)
                .AddConsoleFormatter<CliConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
            services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

            // No log line may carry a token (request URLs hold ?access_token=): the console sees redacted messages only.
            var console = services.Single(static d => d.ServiceType == typeof(ILoggerProvider)
                && d.ImplementationType == typeof(Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider));
            services.Remove(console);
            string[] secrets = configuration.Streaming.Endpoints.AccessToken is { } token ? [token] : [];
            services.AddSingleton<ILoggerProvider>(provider => new Friture.Streaming.Server.Diagnostics.RedactingLoggerProvider(
                ActivatorUtilities.CreateInstance<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(provider), secrets));
            if (configuration.LogLevel > LogLevel.Debug)
            {
                logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
                logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None);
            }
        }

        services.AddSingleton<IHostLifetime, CliHostLifetime>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddFritureStreaming(options =>
        {
            var source = configuration.Streaming;
            options.Input = source.Input;
            options.Analyzers = source.Analyzers;
            options.BlockSize = source.BlockSize;
            options.Endpoints = source.Endpoints;
            options.Settings = source.Settings;
        }).AddMqtt().AddOsc();
    }

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static IAsyncDisposable AsAsyncDisposable(IHost host) => host as IAsyncDisposable ?? new SyncDisposer(host);

    private sealed class SyncDisposer(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Writes the whole options graph in effect (input, analyzers, block size, endpoints, and the running pipeline's rate
    /// limits, buffers, consumers and protocols with their options, tokens included) in the schema <c>--settings</c>
    /// reads; the file is readable by its owner only.
    /// </summary>
    private static void SaveSettings(FritureStreamingPipeline pipeline, string path)
    {
        var options = pipeline.Options;
        var saved = new FritureStreamingOptions
        {
            Input = options.Input,
            Analyzers = options.Analyzers,
            BlockSize = options.BlockSize,
            Endpoints = options.Endpoints,
            Settings = pipeline.CaptureSettings(),
        };
        SettingsWriter.Save(saved, path);
    }

    private List<string> Endpoints(IHost app, FritureStreamingPipeline pipeline)
    {
        var lines = new List<string>();
        var endpoints = configuration.Streaming.Endpoints;
        if (configuration.ServesHttp)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? string.Empty;
            var port = Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Port : configuration.Port;
            var host = configuration.Host is "*" or "0.0.0.0" or "::" ? "localhost" : configuration.Host;
            var http = $"http://{host}:{port}";
            if (endpoints.Dashboard)
            {
                // Like notebook servers: the printed URL opens the live page as it is, token included.
                var token = endpoints.AccessToken is { Length: > 0 } t ? "?access_token=" + Uri.EscapeDataString(t) : string.Empty;
                lines.Add($"  Dashboard  {http}{endpoints.DashboardPath}{token}");
            }

            if (endpoints.WebSocket)
            {
                lines.Add($"  WebSocket  ws://{host}:{port}{endpoints.WebSocketPath}");
            }

            if (endpoints.Sse)
            {
                lines.Add($"  SSE        {http}{endpoints.SsePath}");
            }
        }

        foreach (var protocol in pipeline.Api.Protocols)
        {
            if (ReferenceEquals(protocol, pipeline.WebSocket) || ReferenceEquals(protocol, pipeline.Sse))
            {
                continue;
            }

            lines.Add(protocol.Name switch
            {
                "tcp" => $"  TCP        {protocol.Host}:{protocol.Port} (length-prefixed JSON frames)",
                "udp" => $"  UDP        datagrams to {string.Join(", ", configuration.Streaming.Settings.Protocols.Where(static p => p.Kind == "udp").SelectMany(static p => p.Clients))}",
                "mqtt" => $"  MQTT       broker {protocol.Host}:{protocol.Port}",
                "osc" => $"  OSC        to {string.Join(", ", configuration.Streaming.Settings.Protocols.Where(static p => p.Kind == "osc").SelectMany(static p => p.Clients))}",
                _ => $"  {protocol.Name,-10} {protocol.Host}:{protocol.Port}",
            });
        }

        if (lines.Count == 0)
        {
            lines.Add("  (no network endpoint enabled)");
        }

        return lines;
    }

    private bool UseLiveView() => configuration.View switch
    {
        CliView.Live => true,
        CliView.Plain => false,
        _ => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive,
    };

    private async Task RunPlainViewAsync(AnalysisSnapshot snapshot, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(configuration.Interval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await output.WriteLineAsync(PlainView.Line(snapshot)).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RunLiveViewAsync(AnalysisSnapshot snapshot, IReadOnlyList<string> header, LiveLog? log, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(LiveView.Render(snapshot, header, log))
            .AutoClear(false)
            .StartAsync(async context =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
                try
                {
                    while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                    {
                        context.UpdateTarget(LiveView.Render(snapshot, header, log));
                        context.Refresh();
                    }
                }
                catch (OperationCanceledException)
                {
                    // Leave the last frame on screen, then let the caller stop.
                }
            }).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<int> ListDevicesAsync()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                await ListWindowsDevicesAsync().ConfigureAwait(false);
                return CliApplication.ExitOk;
            }

            if (!OperatingSystem.IsLinux())
            {
                await error.WriteLineAsync("friture-stream: error: device listing needs WASAPI (Windows) or PulseAudio (Linux).").ConfigureAwait(false);
                return CliApplication.ExitFailure;
            }

            var devices = PulseAudioSource.ListDevices();
            foreach (var d in devices)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(d.IsDefault ? "*" : " ")} {d.Name}  {d.Description}  {d.SampleRate} Hz {d.Channels} ch{(d.IsMonitor ? "  (monitor)" : string.Empty)}")).ConfigureAwait(false);
            }

            if (devices.Count == 0)
            {
                await output.WriteLineAsync("no capture source").ConfigureAwait(false);
            }

            return CliApplication.ExitOk;
        }
        catch (AudioSourceException ex)
        {
            await error.WriteLineAsync($"friture-stream: error: {ex.Message}").ConfigureAwait(false);
            return CliApplication.ExitFailure;
        }
    }

    /// <summary>What failed at start, in one line, with the likely fix.</summary>
    private string StartFailure(Exception ex)
    {
        var message = Message(ex).ReplaceLineEndings(" ").TrimEnd();
        if (!message.EndsWith('.'))
        {
            message += ".";
        }

        var inUse = ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
            || ex.Message.Contains("in use", StringComparison.OrdinalIgnoreCase);
        if (ex is AudioSourceException)
        {
            return configuration.Streaming.Input.Kind is FritureInputKind.Capture or FritureInputKind.Auto
                ? $"{message} Run 'friture-stream --list-devices' to see the capture sources, then pass one with --device."
                : message;
        }

        if (inUse && ex is ProtocolException protocol && protocol.Message.Contains("tcp", StringComparison.OrdinalIgnoreCase))
        {
            return $"{message} Use another --tcp-port, or --tcp-port 0 for any free port.";
        }

        return inUse ? $"{message} Use another --port, or --port 0 for any free port." : message;
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private async Task ListWindowsDevicesAsync()
    {
        var devices = WindowsAudioDevices.List();
        foreach (var d in devices)
        {
            var kind = d.Kind switch
            {
                AudioDeviceKind.WasapiCapture => "WASAPI capture ",
                AudioDeviceKind.WasapiRender => "WASAPI render  ",
                _ => "WaveIn " + d.Id.PadRight(8),
            };
            var format = d.SampleRate > 0 ? string.Create(CultureInfo.InvariantCulture, $"  {d.SampleRate} Hz {d.Channels} ch") : string.Create(CultureInfo.InvariantCulture, $"  {d.Channels} ch");
            var use = d.Kind == AudioDeviceKind.WasapiRender ? "  (--loopback)" : string.Empty;
            var id = d.Kind == AudioDeviceKind.WaveIn ? string.Empty : "  " + d.Id;
            await output.WriteLineAsync($"{(d.IsDefault ? "*" : " ")} {kind} {d.Name}{format}{use}{id}").ConfigureAwait(false);
        }

        if (devices.Count == 0)
        {
            await output.WriteLineAsync("no audio endpoint").ConfigureAwait(false);
        }
    }

    private static string Message(Exception ex) => ex is ArgumentOutOfRangeException ? ex.Message.Split(" (Parameter", 2)[0] : ex.Message;
}
