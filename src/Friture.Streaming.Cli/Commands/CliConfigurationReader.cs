using System.CommandLine;
using System.Globalization;
using Friture.Streaming.Audio;
using Friture.Streaming.Configuration;
using Friture.Streaming.Hosting;
using Friture.Streaming.Mqtt;
using Friture.Streaming.Osc;
using Friture.Streaming.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Cli.Commands;

/// <summary>
/// Maps the flags onto the hosting options graph (<see cref="FritureStreamingOptions"/>): each flag the user typed
/// becomes configuration keys layered over the <c>--settings</c> file, and the whole is bound and validated by the same
/// schema and validator as appsettings. Problems come back naming the flag as typed where a flag set the value.
/// </summary>
internal static class CliConfigurationReader
{
    /// <summary>Every protocol kind the tool knows: the server's, MQTT and OSC.</summary>
    public static IReadOnlyList<ProtocolKind> Kinds { get; } = [.. ServerProtocolKinds.All, MqttSettings.Kind, OscSettings.Kind];

    /// <summary>The connection limits and allowed hosts of the web endpoints; --host counts as an allowed host.</summary>
    private static void ReadLimits(ParseResult parse, CliOptions o, string host, FlagMap flags)
    {
        var allowed = new List<string>(parse.GetValue(o.AllowedHost) ?? []);
        if (host is not ("localhost" or "*" or "0.0.0.0" or "::") && !System.Net.IPAddress.TryParse(host, out _))
        {
            allowed.Add(host);
        }

        for (var i = 0; i < allowed.Count; i++)
        {
            flags.Set($"endpoints:allowed_hosts:{i}", allowed[i], "--allowed-host");
        }

        SetLimits(parse, o, flags, "endpoints:");
    }

    private static void SetLimits(ParseResult parse, CliOptions o, FlagMap flags, string prefix)
    {
        if (parse.GetValue(o.MaxClients) is { } max)
        {
            flags.Set(prefix + "max_connections", Invariant(max), "--max-clients");
        }

        if (parse.GetValue(o.MaxClientsPerAddress) is { } perAddress)
        {
            flags.Set(prefix + "max_connections_per_address", Invariant(perAddress), "--max-clients-per-address");
        }

        if (parse.GetValue(o.EvictStalledAfter) is { } seconds && double.IsFinite(seconds) && seconds is >= 0 and <= 86_400)
        {
            flags.Set(prefix + "stalled_client_timeout", TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture), "--evict-stalled-after",
                valueText: seconds.ToString(CultureInfo.InvariantCulture));
        }

        if (parse.GetValue(o.LingerMs) is { } linger && ValidLingerMs(linger))
        {
            // Out of range is reported once by Read.
            flags.Set(prefix + "linger", TimeSpan.FromMilliseconds(linger).ToString("c", CultureInfo.InvariantCulture), "--linger-ms",
                valueText: linger.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static bool ValidLingerMs(double ms) => double.IsFinite(ms) && ms >= 0 && ms <= ProtocolOptions.MaxLinger.TotalMilliseconds;

    public static CliConfiguration? Read(ParseResult parse, CliOptions o, List<string> errors)
    {
        var flags = new FlagMap();
        var host = parse.GetValue(o.Host) ?? "localhost";
        var port = parse.GetValue(o.Port);
        if (port is < 0 or > 65535)
        {
            errors.Add($"--port is {port}; it must be between 0 and 65535.");
        }

        if (parse.GetValue(o.LingerMs) is { } linger && !ValidLingerMs(linger))
        {
            errors.Add($"--linger-ms is {linger.ToString(CultureInfo.InvariantCulture)}; it must be a number of milliseconds between 0 (send each audio block's messages at once) and {ProtocolOptions.MaxLinger.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}.");
        }

        IConfigurationRoot? file = null;
        var settingsPath = parse.GetValue(o.Settings);
        if (settingsPath is not null)
        {
            try
            {
                using var stream = File.OpenRead(settingsPath);
                file = new ConfigurationBuilder().AddJsonStream(stream).Build();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"--settings: '{settingsPath}' cannot be read: {ex.Message}");
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException)
            {
                errors.Add($"--settings: '{settingsPath}' is not valid JSON: {(ex.InnerException ?? ex).Message}");
            }
        }

        var demo = ReadInput(parse, o, flags, errors);
        Explicit(parse, o.BlockSize, flags, "block_size", "--block-size");
        if (parse.GetValue(o.NoWebSocket))
        {
            flags.Set("endpoints:websocket", "false", "--no-websocket");
        }

        if (parse.GetValue(o.NoSse))
        {
            flags.Set("endpoints:sse", "false", "--no-sse");
        }

        if (parse.GetValue(o.NoDashboard))
        {
            flags.Set("endpoints:dashboard", "false", "--no-dashboard");
        }

        if (parse.GetValue(o.Token) is { } token)
        {
            flags.Set("endpoints:access_token", token, "--token");
        }

        ReadLimits(parse, o, host, flags);
        ReadProtocols(parse, o, host, file, flags, errors);
        ReadRates(parse, o, flags, errors);
        ReadAnalyzers(parse, o, flags, errors);

        var duration = parse.GetValue(o.Duration);
        if (duration is { } d && (!double.IsFinite(d) || d <= 0 || d > 31_536_000))
        {
            errors.Add($"--duration is {d.ToString(CultureInfo.InvariantCulture)}; it must be above 0 and at most 31536000 seconds.");
        }

        var interval = parse.GetValue(o.Interval);
        if (!double.IsFinite(interval) || interval is < 0.1 or > 3600)
        {
            errors.Add($"--interval is {interval.ToString(CultureInfo.InvariantCulture)}; it must be between 0.1 and 3600 seconds.");
        }

        var view = Choice(parse.GetValue(o.View), "--view", errors, CliView.Auto, ("auto", CliView.Auto), ("live", CliView.Live), ("plain", CliView.Plain));
        var logLevel = Choice(parse.GetValue(o.LogLevel), "--log-level", errors, LogLevel.Warning,
            ("trace", LogLevel.Trace), ("debug", LogLevel.Debug), ("information", LogLevel.Information), ("info", LogLevel.Information),
            ("warning", LogLevel.Warning), ("error", LogLevel.Error), ("none", LogLevel.None));

        var configuration = new ConfigurationBuilder();
        if (file is not null)
        {
            configuration.AddConfiguration(file);
        }

        configuration.AddInMemoryCollection(flags.Keys);
        var root = configuration.Build();
        var streaming = new FritureStreamingOptions();
        var kinds = new ProtocolKindSet(Kinds);
        streaming.Bind(root, kinds);
        if (demo)
        {
            streaming.Input.Generator = Hosting.Input.AudioInputResolver.DemoSignal();
        }

        if (errors.Count == 0)
        {
            foreach (var problem in streaming.Problems(kinds))
            {
                errors.Add(flags.Name(problem, settingsPath));
            }
        }

        return errors.Count > 0 ? null : new CliConfiguration
        {
            Streaming = streaming,
            Host = host,
            Port = port,
            SaveSettingsPath = parse.GetValue(o.SaveSettings),
            Duration = duration is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            View = view,
            Interval = TimeSpan.FromSeconds(interval),
            LogLevel = logLevel,
            LogFilePath = parse.GetValue(o.LogFile) is { Length: > 0 } logFile ? Path.GetFullPath(logFile) : null,
            ListDevices = parse.GetValue(o.ListDevices),
        };
    }

    private static void Explicit<T>(ParseResult parse, Option<T> option, FlagMap flags, string key, string flag)
    {
        if (parse.GetResult(option) is { Implicit: false })
        {
            flags.Set(key, Invariant(parse.GetValue(option)), flag);
        }
    }

    private static string? Invariant(object? value) => value switch
    {
        null => null,
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Maps the input flags; returns whether <c>--demo</c> asks for the demo signal.</summary>
    private static bool ReadInput(ParseResult parse, CliOptions o, FlagMap flags, List<string> errors)
    {
        var wav = parse.GetValue(o.Input);
        var generate = parse.GetValue(o.Generate);
        var device = parse.GetValue(o.Device);
        var demo = parse.GetValue(o.Demo);
        var loopback = parse.GetValue(o.Loopback);
        var waveIn = parse.GetValue(o.WaveIn);
        var capture = device is not null || loopback || waveIn;
        var chosen = (wav is null ? 0 : 1) + (generate is null ? 0 : 1) + (capture ? 1 : 0) + (demo ? 1 : 0);
        if (chosen > 1)
        {
            errors.Add("--input, --generate, --device (with --loopback or --wavein) and --demo choose the audio input; give at most one of them.");
        }

        if (loopback && waveIn)
        {
            errors.Add("--loopback and --wavein exclude each other: WaveIn has no loopback; use --loopback alone (WASAPI).");
        }

        var channels = parse.GetValue(o.Channels);
        var sampleRate = parse.GetValue(o.SampleRate);
        Explicit(parse, o.Channels, flags, "input:channels", "--channels");
        Explicit(parse, o.SampleRate, flags, "input:sample_rate", "--sample-rate");
        if (parse.GetValue(o.Loop) && wav is null)
        {
            errors.Add("--loop only applies to --input (a WAV file).");
        }

        if (wav is not null)
        {
            if (!File.Exists(wav))
            {
                errors.Add($"--input is '{wav}'; that file does not exist.");
            }

            flags.Set("input:kind", nameof(FritureInputKind.Wav), "--input");
            flags.Set("input:wav_path", wav, "--input");
            if (parse.GetValue(o.Loop))
            {
                flags.Set("input:loop", "true", "--loop");
            }
        }
        else if (generate is not null)
        {
            flags.Set("input:kind", nameof(FritureInputKind.Generator), "--generate");
            if (ParseGenerator(generate, sampleRate, errors) is { } generator)
            {
                var flag = $"--generate {generate}";
                flags.Set("input:generator:waveform", generator.Waveform.ToString(), flag);
                flags.Set("input:generator:frequency_hz", Invariant(generator.FrequencyHz), flag);
                flags.Set("input:generator:level_dbfs", Invariant(generator.LevelDbfs), flag);
                flags.Set("input:generator:sweep_start_hz", Invariant(generator.SweepStartHz), flag);
                flags.Set("input:generator:sweep_end_hz", Invariant(generator.SweepEndHz), flag);
                flags.Set("input:generator:sweep_duration_seconds", Invariant(generator.SweepDurationSeconds), flag);
                flags.Set("input:generator:burst_interval_seconds", Invariant(generator.BurstIntervalSeconds), flag);
                flags.Set("input:generator:channels", Invariant(channels), "--channels");
                flags.Set("input:generator:sample_rate", Invariant(sampleRate), "--sample-rate");
            }
        }
        else if (capture)
        {
            var (kind, flag) = loopback ? (nameof(FritureInputKind.Loopback), "--loopback")
                : waveIn ? (nameof(FritureInputKind.WaveIn), "--wavein")
                : (nameof(FritureInputKind.Capture), "--device");
            flags.Set("input:kind", kind, flag);
            if (device is not null)
            {
                flags.Set("input:device", device, "--device");
            }
        }
        else if (demo)
        {
            flags.Set("input:kind", nameof(FritureInputKind.Generator), "--demo");
        }

        return demo;
    }

    internal static SignalGeneratorOptions? ParseGenerator(string spec, List<string> errors) => ParseGenerator(spec, 48_000, errors);

    internal static SignalGeneratorOptions? ParseGenerator(string spec, int sampleRate, List<string> errors)
    {
        var parts = spec.Split(':', StringSplitOptions.TrimEntries);
        var options = new SignalGeneratorOptions();
        var numbers = new double[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i - 1]) || !double.IsFinite(numbers[i - 1]))
            {
                errors.Add($"--generate is '{spec}'; '{parts[i]}' is not a number. Use sine[:freq[:dBFS]], sweep[:start:end:seconds], white[:dBFS], pink[:dBFS] or burst[:interval].");
                return null;
            }
        }

        int max;
        switch (parts[0].ToLowerInvariant())
        {
            case "sine":
                options.Waveform = SignalWaveform.Sine;
                max = 2;
                if (numbers.Length > 0) { options.FrequencyHz = numbers[0]; }
                if (numbers.Length > 1) { options.LevelDbfs = numbers[1]; }
                break;
            case "sweep":
                options.Waveform = SignalWaveform.Sweep;
                max = 3;
                if (numbers.Length > 0) { options.SweepStartHz = numbers[0]; }
                if (numbers.Length > 1) { options.SweepEndHz = numbers[1]; }
                if (numbers.Length > 2) { options.SweepDurationSeconds = numbers[2]; }
                break;
            case "white" or "pink":
                options.Waveform = parts[0].Equals("white", StringComparison.OrdinalIgnoreCase) ? SignalWaveform.WhiteNoise : SignalWaveform.PinkNoise;
                max = 1;
                if (numbers.Length > 0) { options.LevelDbfs = numbers[0]; }
                break;
            case "burst":
                options.Waveform = SignalWaveform.Burst;
                max = 1;
                if (numbers.Length > 0) { options.BurstIntervalSeconds = numbers[0]; }
                break;
            default:
                errors.Add($"--generate is '{spec}'; the waveform must be sine, sweep, white, pink or burst.");
                return null;
        }

        if (numbers.Length > max)
        {
            errors.Add($"--generate is '{spec}'; {parts[0]} takes at most {max} number(s).");
            return null;
        }

        var nyquist = sampleRate / 2.0;
        var highest = options.Waveform == SignalWaveform.Sweep ? Math.Max(options.SweepStartHz, options.SweepEndHz) : options.FrequencyHz;
        var lowest = options.Waveform == SignalWaveform.Sweep ? Math.Min(options.SweepStartHz, options.SweepEndHz) : options.FrequencyHz;
        if (options.Waveform is SignalWaveform.Sine or SignalWaveform.Sweep && (lowest <= 0 || highest >= nyquist))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"--generate is '{spec}'; the frequency must be above 0 and below half the sample rate ({nyquist:0.#} Hz at --sample-rate {sampleRate})."));
        }

        if (options.LevelDbfs is > 0 or < -200)
        {
            errors.Add($"--generate is '{spec}'; the level {options.LevelDbfs.ToString(CultureInfo.InvariantCulture)} dBFS must be between -200 and 0 dBFS.");
        }

        if (options.Waveform == SignalWaveform.Sweep && options.SweepDurationSeconds <= 0)
        {
            errors.Add($"--generate is '{spec}'; the sweep duration must be above 0 seconds.");
        }

        if (options.Waveform == SignalWaveform.Burst && options.BurstIntervalSeconds <= 0)
        {
            errors.Add($"--generate is '{spec}'; the burst interval must be above 0 seconds.");
        }

        return options;
    }

    private static void ReadProtocols(ParseResult parse, CliOptions o, string host, IConfiguration? file, FlagMap flags, List<string> errors)
    {
        var format = parse.GetValue(o.Format);
        if (format is not ("json" or "binary"))
        {
            errors.Add($"--format is '{format}'; it must be json or binary.");
        }

        // Flags add entries after the file's: appended to its list, or under their kind's key when the file uses keys.
        var existing = file?.GetSection("protocols").GetChildren().ToList() ?? [];
        var keyed = existing.Any(static c => !int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var next = existing.Count;
        (string Key, string Path) Entry(string kind)
        {
            if (keyed)
            {
                return ($"protocols:{kind}", $"protocols.{kind}");
            }

            var index = next++;
            return ($"protocols:{index}", $"protocols[{index}]");
        }

        var token = parse.GetValue(o.Token);
        if (parse.GetValue(o.Resolution) is { } resolution)
        {
            // The settings' global key: every protocol's default, the WebSocket and SSE endpoints' too; a protocol's
            // own options.resolution in --settings still wins.
            flags.Set("resolution", resolution, "--resolution");
        }

        if (parse.GetValue(o.Tcp))
        {
            var (key, path) = Entry("tcp");
            flags.Set($"{key}:kind", "tcp", "--tcp", path);
            flags.Set($"{key}:host", host, "--host");
            flags.Set($"{key}:port", Invariant(parse.GetValue(o.TcpPort)), "--tcp-port");
            flags.Set($"{key}:serialization_format", format, "--format");
            if (token is not null)
            {
                flags.Set($"{key}:options:access_token", token, "--token");
            }

            SetLimits(parse, o, flags, $"{key}:options:");
        }
        else if (parse.GetResult(o.TcpPort) is { Implicit: false })
        {
            errors.Add("--tcp-port needs --tcp.");
        }

        var udp = parse.GetValue(o.Udp) ?? [];
        if (udp.Length > 0)
        {
            var (key, path) = Entry("udp");
            flags.Set($"{key}:kind", "udp", "--udp", path);
            flags.Set($"{key}:host", host == "localhost" ? "127.0.0.1" : host, "--host");
            flags.Set($"{key}:port", "0", "--udp");
            flags.Set($"{key}:serialization_format", format, "--format");
            for (var i = 0; i < udp.Length; i++)
            {
                flags.Set($"{key}:clients:{i}", udp[i], $"--udp {udp[i]}");
            }

        }

        if (parse.GetResult(o.Mqtt) is not null)
        {
            var broker = parse.GetValue(o.Mqtt) ?? "localhost:1883";
            if (StreamingSettingsExtensions.TryEndpoint(broker, out var brokerHost, out var brokerPort))
            {
                var (key, path) = Entry("mqtt");
                flags.Set($"{key}:kind", "mqtt", "--mqtt", path);
                flags.Set($"{key}:host", brokerHost, $"--mqtt {broker}");
                flags.Set($"{key}:port", Invariant(brokerPort), $"--mqtt {broker}");
                flags.Set($"{key}:serialization_format", format, "--format");
                }
            else
            {
                errors.Add($"--mqtt is '{broker}'; it must be host:port with a port between 1 and 65535.");
            }
        }

        var osc = parse.GetValue(o.Osc) ?? [];
        if (osc.Length > 0)
        {
            var (key, path) = Entry("osc");
            flags.Set($"{key}:kind", "osc", "--osc", path);
            for (var i = 0; i < osc.Length; i++)
            {
                flags.Set($"{key}:clients:{i}", osc[i], $"--osc {osc[i]}");
            }

            if (parse.GetValue(o.OscMaxPacket) is { } maxPacket)
            {
                flags.Set($"{key}:options:max_packet_bytes", Invariant(maxPacket), "--osc-max-packet");
            }

        }
        else if (parse.GetValue(o.OscMaxPacket) is not null)
        {
            errors.Add("--osc-max-packet needs --osc host:port: it sets the packet limit of the OSC stream.");
        }

        foreach (var destination in udp.Select(static d => ("--udp", d)).Concat(osc.Select(static d => ("--osc", d))))
        {
            if (!StreamingSettingsExtensions.TryEndpoint(destination.d, out _, out _))
            {
                errors.Add($"{destination.Item1} is '{destination.d}'; it must be host:port with a port between 1 and 65535.");
            }
        }
    }

    private static void ReadRates(ParseResult parse, CliOptions o, FlagMap flags, List<string> errors)
    {
        foreach (var rate in parse.GetValue(o.Rate) ?? [])
        {
            var eq = rate.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !double.TryParse(rate.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var hz))
            {
                errors.Add($"--rate is '{rate}'; it must be data_type=Hz, for example levels=20.");
                continue;
            }

            var name = rate[..eq].Trim();
            if (!DataType.TryParse(name, out _))
            {
                errors.Add($"--rate names '{name}', which is not a data type; known: {string.Join(", ", DataType.BuiltIn.Select(static t => t.Name))}.");
                continue;
            }

            if (!double.IsFinite(hz) || hz < 0 || hz > 1_000_000)
            {
                errors.Add($"--rate {name} is {hz.ToString(CultureInfo.InvariantCulture)} Hz; it must be between 0 (unlimited) and 1000000 Hz.");
                continue;
            }

            flags.Set($"rate_limits:{name}", Invariant(hz), $"--rate {rate}");
        }
    }

    private static void ReadAnalyzers(ParseResult parse, CliOptions o, FlagMap flags, List<string> errors)
    {
        if (parse.GetValue(o.LoudnessRate) is { } loudnessRate)
        {
            if (!double.IsFinite(loudnessRate) || loudnessRate is < 0 or > 1000)
            {
                errors.Add($"--loudness-rate is {loudnessRate.ToString(CultureInfo.InvariantCulture)}; it must be between 0 (unlimited) and 1000 messages per second.");
            }
            else
            {
                flags.Set("rate_limits:loudness", Invariant(loudnessRate), "--loudness-rate");
            }
        }

        if (parse.GetValue(o.FftSize) is { } fft)
        {
            flags.Set("analyzers:fft_spectrum:fft_size", Invariant(fft), "--fft-size");
        }

        if (parse.GetValue(o.Window) is { } window)
        {
            var value = Choice(window, "--window", errors, "hann", "hann", "hamming", "blackman", "blackman_harris", "flat_top", "kaiser", "rectangular");
            flags.Set("analyzers:fft_spectrum:window", value, "--window");
            flags.Set("analyzers:spectrogram:window", value, "--window");
        }

        if (parse.GetValue(o.Weighting) is { } weighting)
        {
            var w = Choice(weighting.ToUpperInvariant(), "--weighting", errors, "Z", "A", "B", "C", "Z");
            flags.Set("analyzers:fft_spectrum:weighting", w, "--weighting");
            flags.Set("analyzers:octave_spectrum:weighting", w, "--weighting");
            if (w == "B")
            {
                errors.Add("--weighting B applies to spectra only; levels accept A, C or Z. Use A, C or Z.");
            }
            else
            {
                flags.Set("analyzers:levels:weighting", w, "--weighting");
            }
        }

        if (parse.GetValue(o.BandsPerOctave) is { } bands)
        {
            flags.Set("analyzers:octave_spectrum:bands_per_octave", Invariant(bands), "--bands-per-octave");
        }

        if (parse.GetValue(o.SpectrogramScale) is { } scale)
        {
            var value = Choice(scale, "--spectrogram-scale", errors, "logarithmic", "linear", "logarithmic", "log", "mel", "erb", "octave");
            flags.Set("analyzers:spectrogram:scale", value == "log" ? "logarithmic" : value, "--spectrogram-scale");
        }

        if (parse.GetValue(o.PitchMin) is { } min)
        {
            flags.Set("analyzers:pitch_tracker:min_frequency_hz", Invariant(min), "--pitch-min");
        }

        if (parse.GetValue(o.PitchMax) is { } max)
        {
            flags.Set("analyzers:pitch_tracker:max_frequency_hz", Invariant(max), "--pitch-max");
        }

        if (parse.GetValue(o.ReferenceA4) is { } a4)
        {
            flags.Set("analyzers:pitch_tracker:reference_a4_hz", Invariant(a4), "--a4");
        }

        if (parse.GetValue(o.ScopeWindow) is { } scopeMs)
        {
            flags.Set("analyzers:scope:window_seconds", Invariant(scopeMs / 1000.0), "--scope-window", valueText: Invariant(scopeMs) + " ms");
        }

        if (parse.GetValue(o.DelayRange) is { } delayMs)
        {
            flags.Set("analyzers:delay_estimator:max_delay_ms", Invariant(delayMs), "--delay-range");
        }
    }

    private static string Choice(string value, string flag, List<string> errors, string fallback, params string[] choices)
    {
        foreach (var choice in choices)
        {
            if (string.Equals(choice, value, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        errors.Add($"{flag} is '{value}'; it must be one of {string.Join(", ", choices)}.");
        return fallback;
    }

    private static T Choice<T>(string? value, string flag, List<string> errors, T fallback, params (string Name, T Value)[] choices)
    {
        foreach (var (name, choice) in choices)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        errors.Add($"{flag} is '{value}'; it must be one of {string.Join(", ", choices.Select(static c => c.Name))}.");
        return fallback;
    }

    /// <summary>The configuration keys the flags set, and for each the flag as typed, to name it in problems.</summary>
    private sealed class FlagMap
    {
        private readonly List<(string Path, string Flag, string? Value)> _paths = [];

        public Dictionary<string, string?> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Sets <paramref name="key"/> (configuration form, <c>a:b:c</c>) on behalf of <paramref name="flag"/>.</summary>
        public void Set(string key, string? value, string flag, string? path = null, string? valueText = null)
        {
            Keys[key] = value;
            _paths.Add((path ?? PathOf(key), flag, valueText));
        }

        /// <summary>The problem with the longest path a flag set replaced by that flag; other problems name the settings file.</summary>
        public string Name(string problem, string? settingsPath)
        {
            (string Path, string Flag, string? Value)? best = null;
            foreach (var entry in _paths)
            {
                if (problem.StartsWith(entry.Path, StringComparison.OrdinalIgnoreCase)
                    && (problem.Length == entry.Path.Length || problem[entry.Path.Length] is ' ' or '.' or ':' or '[' or ';')
                    && (best is null || entry.Path.Length > best.Value.Path.Length))
                {
                    best = entry;
                }
            }

            if (best is { } found)
            {
                var rest = problem[found.Path.Length..];
                if (found.Value is { } text && rest.StartsWith(" is ", StringComparison.Ordinal))
                {
                    // The option's own unit differs from the flag's (seconds vs ms): quote the flag's value.
                    var semicolon = rest.IndexOf(';', StringComparison.Ordinal);
                    rest = semicolon > 0 ? $" is {text}{rest[semicolon..]}" : rest;
                }

                return found.Flag + rest;
            }

            return settingsPath is null ? problem : $"--settings {settingsPath}: {problem}";
        }

        private static string PathOf(string key)
        {
            var parts = key.Split(':');
            var path = new System.Text.StringBuilder(parts[0]);
            for (var i = 1; i < parts.Length; i++)
            {
                path.Append(int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"[{parts[i]}]" : $".{parts[i]}");
            }

            return path.ToString();
        }
    }
}
