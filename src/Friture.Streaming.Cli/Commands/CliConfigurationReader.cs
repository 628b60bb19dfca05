using System.CommandLine;
using System.Globalization;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Audio;
using Friture.Streaming.Configuration;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Dsp.Windows;
using Friture.Streaming.Hosting;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Cli.Commands;

/// <summary>Turns parsed flags into a <see cref="CliConfiguration"/>, collecting every problem with the flag, the value and what is allowed.</summary>
internal static class CliConfigurationReader
{
    public static CliConfiguration? Read(ParseResult parse, CliOptions o, List<string> errors)
    {
        var streaming = new FritureStreamingOptions();
        ReadInput(parse, o, streaming.Input, errors);
        streaming.BlockSize = parse.GetValue(o.BlockSize);

        var host = parse.GetValue(o.Host) ?? "localhost";
        var port = parse.GetValue(o.Port);
        if (port is < 0 or > 65535)
        {
            errors.Add($"--port is {port}; it must be between 0 and 65535.");
        }

        var endpoints = streaming.Endpoints;
        endpoints.WebSocket = !parse.GetValue(o.NoWebSocket);
        endpoints.Sse = !parse.GetValue(o.NoSse);
        endpoints.Dashboard = !parse.GetValue(o.NoDashboard);
        endpoints.AccessToken = parse.GetValue(o.Token);

        StreamingSettings settings = new();
        if (parse.GetValue(o.Settings) is { } settingsPath)
        {
            try
            {
                settings = StreamingSettings.Load(settingsPath);
            }
            catch (StreamingSettingsException ex)
            {
                errors.Add($"--settings: {ex.Message}");
            }
        }

        streaming.Settings = settings;
        ReadProtocols(parse, o, host, settings, errors);
        ReadRates(parse, o, settings, errors);
        ReadAnalyzers(parse, o, streaming.Analyzers, errors);

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

        try
        {
            streaming.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            errors.Add(FlagMessage(ex));
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

    private static void ReadInput(ParseResult parse, CliOptions o, FritureInputOptions input, List<string> errors)
    {
        var wav = parse.GetValue(o.Input);
        var generate = parse.GetValue(o.Generate);
        var device = parse.GetValue(o.Device);
        var demo = parse.GetValue(o.Demo);
        var chosen = (wav is null ? 0 : 1) + (generate is null ? 0 : 1) + (device is null ? 0 : 1) + (demo ? 1 : 0);
        if (chosen > 1)
        {
            errors.Add("--input, --generate, --device and --demo choose the audio input; give at most one of them.");
        }

        var channels = parse.GetValue(o.Channels);
        var sampleRate = parse.GetValue(o.SampleRate);
        input.Channels = channels;
        input.SampleRate = sampleRate;
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

            input.Kind = FritureInputKind.Wav;
            input.WavPath = wav;
            input.Loop = parse.GetValue(o.Loop);
        }
        else if (generate is not null)
        {
            input.Kind = FritureInputKind.Generator;
            input.Generator = ParseGenerator(generate, errors) ?? new SignalGeneratorOptions();
            input.Generator.Channels = channels;
            input.Generator.SampleRate = sampleRate;
        }
        else if (device is not null)
        {
            input.Kind = FritureInputKind.Capture;
            input.Device = device;
        }
        else if (demo)
        {
            input.Kind = FritureInputKind.Generator;
            input.Generator = Hosting.Input.AudioInputResolver.DemoSignal();
        }
    }

    internal static SignalGeneratorOptions? ParseGenerator(string spec, List<string> errors)
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

        if (options.FrequencyHz is <= 0 or > 96_000)
        {
            errors.Add($"--generate frequency is {options.FrequencyHz.ToString(CultureInfo.InvariantCulture)} Hz; it must be above 0 and below half the sample rate.");
        }

        if (options.LevelDbfs is > 0 or < -200)
        {
            errors.Add($"--generate level is {options.LevelDbfs.ToString(CultureInfo.InvariantCulture)} dBFS; it must be between -200 and 0 dBFS.");
        }

        return options;
    }

    private static void ReadProtocols(ParseResult parse, CliOptions o, string host, StreamingSettings settings, List<string> errors)
    {
        var format = parse.GetValue(o.Format);
        if (format is not ("json" or "binary"))
        {
            errors.Add($"--format is '{format}'; it must be json or binary.");
        }

        var token = parse.GetValue(o.Token);
        if (parse.GetValue(o.Tcp))
        {
            var tcpPort = parse.GetValue(o.TcpPort);
            if (tcpPort is < 0 or > 65535)
            {
                errors.Add($"--tcp-port is {tcpPort}; it must be between 0 and 65535.");
            }

            var tcp = new ProtocolSettings { Kind = "tcp", Host = host, Port = tcpPort, SerializationFormat = format };
            if (token is not null)
            {
                tcp.Options["access_token"] = token;
            }

            settings.Protocols.Add(tcp);
        }
        else if (parse.GetResult(o.TcpPort) is { Implicit: false })
        {
            errors.Add("--tcp-port needs --tcp.");
        }

        var udp = parse.GetValue(o.Udp) ?? [];
        if (udp.Length > 0)
        {
            foreach (var destination in udp)
            {
                try
                {
                    FritureProtocolFactory.ParseEndpoint(destination, "--udp");
                }
                catch (StreamingSettingsException ex)
                {
                    errors.Add(ex.Message);
                }
            }

            var entry = new ProtocolSettings { Kind = "udp", Host = host == "localhost" ? "127.0.0.1" : host, Port = 0, SerializationFormat = format };
            entry.Options["clients"] = string.Join(',', udp);
            settings.Protocols.Add(entry);
        }

        if (parse.GetResult(o.Mqtt) is not null)
        {
            var broker = parse.GetValue(o.Mqtt) ?? "localhost:1883";
            try
            {
                var (brokerHost, brokerPort) = FritureProtocolFactory.ParseEndpoint(broker, "--mqtt");
                settings.Protocols.Add(new ProtocolSettings { Kind = "mqtt", Host = brokerHost, Port = brokerPort, SerializationFormat = format });
            }
            catch (StreamingSettingsException ex)
            {
                errors.Add(ex.Message);
            }
        }

        var osc = parse.GetValue(o.Osc) ?? [];
        if (osc.Length > 0)
        {
            foreach (var target in osc)
            {
                try
                {
                    FritureProtocolFactory.ParseEndpoint(target, "--osc");
                }
                catch (StreamingSettingsException ex)
                {
                    errors.Add(ex.Message);
                }
            }

            var entry = new ProtocolSettings { Kind = "osc" };
            entry.Options["targets"] = string.Join(',', osc);
            settings.Protocols.Add(entry);
        }
    }

    private static void ReadRates(ParseResult parse, CliOptions o, StreamingSettings settings, List<string> errors)
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

            settings.RateLimits[name] = hz;
        }
    }

    private static void ReadAnalyzers(ParseResult parse, CliOptions o, FritureAnalyzerOptions a, List<string> errors)
    {
        if (parse.GetValue(o.FftSize) is { } fft)
        {
            a.FftSpectrum.FftSize = fft;
        }

        if (parse.GetValue(o.Window) is { } window)
        {
            a.FftSpectrum.Window = Choice(window, "--window", errors, WindowType.Hann,
                ("hann", WindowType.Hann), ("hamming", WindowType.Hamming), ("blackman", WindowType.Blackman),
                ("blackman_harris", WindowType.BlackmanHarris), ("flat_top", WindowType.FlatTop), ("kaiser", WindowType.Kaiser),
                ("rectangular", WindowType.Rectangular));
            a.Spectrogram.Window = a.FftSpectrum.Window;
        }

        if (parse.GetValue(o.Weighting) is { } weighting)
        {
            var w = Choice(weighting.ToUpperInvariant(), "--weighting", errors, FrequencyWeighting.Z,
                ("A", FrequencyWeighting.A), ("B", FrequencyWeighting.B), ("C", FrequencyWeighting.C), ("Z", FrequencyWeighting.Z));
            a.FftSpectrum.Weighting = w;
            a.OctaveSpectrum.Weighting = w;
            if (w == FrequencyWeighting.B)
            {
                errors.Add("--weighting B applies to spectra only; levels accept A, C or Z. Use A, C or Z.");
            }
            else
            {
                a.Levels.Weighting = w;
            }
        }

        if (parse.GetValue(o.BandsPerOctave) is { } bands)
        {
            a.OctaveSpectrum.BandsPerOctave = bands;
        }

        if (parse.GetValue(o.SpectrogramScale) is { } scale)
        {
            a.Spectrogram.Scale = Choice(scale, "--spectrogram-scale", errors, FrequencyScale.Logarithmic,
                ("linear", FrequencyScale.Linear), ("logarithmic", FrequencyScale.Logarithmic), ("log", FrequencyScale.Logarithmic),
                ("mel", FrequencyScale.Mel), ("erb", FrequencyScale.Erb), ("octave", FrequencyScale.Octave));
        }

        if (parse.GetValue(o.PitchMin) is { } min)
        {
            a.PitchTracker.MinFrequencyHz = min;
        }

        if (parse.GetValue(o.PitchMax) is { } max)
        {
            a.PitchTracker.MaxFrequencyHz = max;
        }

        if (parse.GetValue(o.ReferenceA4) is { } a4)
        {
            a.PitchTracker.ReferenceA4Hz = a4;
        }

        if (parse.GetValue(o.ScopeWindow) is { } scopeMs)
        {
            a.Scope.WindowSeconds = scopeMs / 1000.0;
        }

        if (parse.GetValue(o.DelayRange) is { } delayMs)
        {
            a.DelayEstimator.MaxDelayMs = delayMs;
        }
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

    /// <summary>Analyzer options name their properties; point the user at the flag they typed where one maps.</summary>
    private static string FlagMessage(ArgumentOutOfRangeException ex)
    {
        var message = ex.Message.Split(" (Parameter", 2)[0];
        var flag = ex.ParamName switch
        {
            "FftSize" => "--fft-size",
            "MinFrequencyHz" => "--pitch-min",
            "MaxFrequencyHz" => "--pitch-max",
            "ReferenceA4Hz" => "--a4",
            "BandsPerOctave" => "--bands-per-octave",
            "WindowSeconds" => "--scope-window (ms)",
            "MaxDelayMs" => "--delay-range",
            "BlockSize" => "--block-size",
            "SampleRate" => "--sample-rate",
            "Channels" => "--channels",
            _ => null,
        };
        return flag is null ? message : $"{flag}: {message}";
    }
}
