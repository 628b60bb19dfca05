using System.CommandLine;

namespace Friture.Streaming.Cli.Commands;

/// <summary>Every friture-stream flag (docs/cli.md lists them with their defaults).</summary>
internal sealed class CliOptions
{
    public Option<string?> Input { get; } = new("--input", "-i") { Description = "Analyse a WAV file (PCM 8/16/24/32-bit or float), paced in real time.", HelpName = "file.wav" };

    public Option<bool> Loop { get; } = new("--loop") { Description = "With --input: start again at the end instead of stopping." };

    public Option<string?> Generate { get; } = new("--generate", "-g")
    {
        Description = "Analyse a generated signal: sine[:freq[:dBFS]], sweep[:start:end:seconds], white[:dBFS], pink[:dBFS], burst[:interval].",
        HelpName = "sine:440",
    };

    public Option<string?> Device { get; } = new("--device", "-d") { Description = "Capture from this device (see --list-devices): a WASAPI endpoint name, part of it or id on Windows, a PulseAudio source on Linux; default: the default input.", HelpName = "name" };

    public Option<bool> Loopback { get; } = new("--loopback") { Description = "Capture what the machine plays: WASAPI loopback of the default output (or --device) on Windows, the default output's monitor on Linux." };

    public Option<bool> WaveIn { get; } = new("--wavein") { Description = "Windows: capture through WinMM WaveIn instead of WASAPI (--device: a WaveIn number or name)." };

    public Option<bool> ListDevices { get; } = new("--list-devices") { Description = "List the capture devices (WASAPI and WaveIn on Windows, PulseAudio sources on Linux), the default marked with *, and exit." };

    public Option<bool> Demo { get; } = new("--demo") { Description = "Analyse the built-in demo signal even when a capture device exists." };

    public Option<int> Channels { get; } = new("--channels") { Description = "Channels to capture or generate (1-32).", DefaultValueFactory = _ => 2 };

    public Option<int> SampleRate { get; } = new("--sample-rate") { Description = "Sample rate in Hz for capture and the generator (8000-192000).", DefaultValueFactory = _ => 48_000 };

    public Option<int> BlockSize { get; } = new("--block-size") { Description = "Frames per analysis block (16-65536).", DefaultValueFactory = _ => 512 };

    public Option<string> Host { get; } = new("--host") { Description = "Interface the web server (dashboard, WebSocket, SSE) and TCP bind to.", DefaultValueFactory = _ => "localhost" };

    public Option<int> Port { get; } = new("--port", "-p") { Description = "Web server port: dashboard at /, WebSocket at /ws, SSE at /events (0 = any free port).", DefaultValueFactory = _ => 8765 };

    public Option<bool> NoWebSocket { get; } = new("--no-websocket") { Description = "Do not serve the WebSocket stream." };

    public Option<bool> NoSse { get; } = new("--no-sse") { Description = "Do not serve the SSE stream." };

    public Option<bool> NoDashboard { get; } = new("--no-dashboard") { Description = "Do not serve the web dashboard." };

    public Option<bool> Tcp { get; } = new("--tcp") { Description = "Also stream over TCP (length-prefixed JSON frames)." };

    public Option<int> TcpPort { get; } = new("--tcp-port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8766 };

    public Option<string[]> AllowedHost { get; } = new("--allowed-host") { Description = "Host name clients may use besides localhost and IP addresses (repeatable; *.example.org for subdomains, * for any): other Host headers get 400, against DNS rebinding.", HelpName = "name" };

    public Option<int?> MaxClients { get; } = new("--max-clients") { Description = "Most clients per stream (WebSocket, SSE, TCP), 1-100000 (default 1024).", HelpName = "count" };

    public Option<int?> MaxClientsPerAddress { get; } = new("--max-clients-per-address") { Description = "Most clients per stream from one IP address, 1-100000 (default 256).", HelpName = "count" };

    public Option<double?> LingerMs { get; } = new("--linger-ms") { Description = "Milliseconds a client's messages may wait for the next audio blocks' so that they leave in one write, 0-1000 (default 25; UDP 0); clients choose their own with linger_ms.", HelpName = "ms" };

    public Option<double?> EvictStalledAfter { get; } = new("--evict-stalled-after") { Description = "Seconds a client may read nothing before it can be disconnected to make room for a new one when the stream is full, 0.1-3600 (default 10).", HelpName = "seconds" };

    public Option<string[]> Udp { get; } = new("--udp") { Description = "Also send UDP datagrams to host:port (repeatable).", HelpName = "host:port" };

    public Option<string?> Mqtt { get; } = new("--mqtt")
    {
        Description = "Also publish to an MQTT broker (default localhost:1883), topics friture/<data_type>.",
        HelpName = "broker:port",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string[]> Osc { get; } = new("--osc") { Description = "Also send OSC over UDP to host:port (repeatable), one address per data type.", HelpName = "host:port" };

    public Option<int?> OscMaxPacket { get; } = new("--osc-max-packet") { Description = "Largest OSC packet over UDP, 64-65507 bytes (default 8192); larger packets are split into /fragment messages a receiver reassembles (docs/mqtt-osc.md).", HelpName = "bytes" };

    public Option<string?> Resolution { get; } = new("--resolution")
    {
        Description = "Default resolution of spectra and scope on every network protocol (WebSocket, SSE, TCP, UDP, MQTT, OSC; the settings key resolution): network (default: 80 log-spaced bands 20 Hz-20 kHz, 64 scope points per channel), full, or keys such as fft_spectrum.points=256,scope.points=512. A protocol's own options.resolution and a client's ?resolution= win.",
        HelpName = "network|full|keys",
    };

    public Option<string?> Token { get; } = new("--token") { Description = "Bearer token required by the WebSocket, SSE and TCP streams.", HelpName = "secret" };

    public Option<string> Format { get; } = new("--format") { Description = "Serialization for TCP and UDP: json or binary.", DefaultValueFactory = _ => "json" };

    public Option<string[]> Rate { get; } = new("--rate") { Description = "Rate limit, data_type=Hz (repeatable), e.g. --rate levels=20.", HelpName = "type=hz" };

    public Option<double?> LoudnessRate { get; } = new("--loudness-rate") { Description = "Loudness messages per second (EBU R128 meter; default 10, 0 = unlimited)." };

    public Option<int?> FftSize { get; } = new("--fft-size") { Description = "FFT spectrum size, a power of two 32-16384 (default 8192)." };

    public Option<string?> Window { get; } = new("--window") { Description = "FFT window: hann, hamming, blackman, blackman_harris, flat_top, kaiser, rectangular." };

    public Option<string?> Weighting { get; } = new("--weighting") { Description = "Frequency weighting of spectrum, octave bands and levels: A, B, C or Z." };

    public Option<int?> BandsPerOctave { get; } = new("--bands-per-octave") { Description = "Octave spectrum resolution: 1, 3, 6, 12 or 24 (default 3)." };

    public Option<string?> SpectrogramScale { get; } = new("--spectrogram-scale") { Description = "Spectrogram frequency scale: linear, logarithmic, mel, erb or octave." };

    public Option<double?> PitchMin { get; } = new("--pitch-min") { Description = "Lowest pitch in Hz (40-2000, default 65)." };

    public Option<double?> PitchMax { get; } = new("--pitch-max") { Description = "Highest pitch in Hz (40-2000, default 1047)." };

    public Option<double?> ReferenceA4 { get; } = new("--a4") { Description = "Concert pitch A4 in Hz for note names and cents (default 440)." };

    public Option<double?> ScopeWindow { get; } = new("--scope-window") { Description = "Scope window in ms (0.1-10000, default 50)." };

    public Option<double?> DelayRange { get; } = new("--delay-range") { Description = "Delay estimator range in ms (1-1000, default 1000)." };

    public Option<string?> Settings { get; } = new("--settings") { Description = "Load settings JSON (rate limits, buffers, consumers, protocols).", HelpName = "file.json" };

    public Option<string?> SaveSettings { get; } = new("--save-settings") { Description = "Write the settings in effect as JSON once running.", HelpName = "file.json" };

    public Option<double?> Duration { get; } = new("--duration") { Description = "Stop after this many seconds (for scripts); default: run until Ctrl+C." };

    public Option<string> View { get; } = new("--view") { Description = "Terminal output: auto (live view on a terminal, log lines otherwise), live or plain.", DefaultValueFactory = _ => "auto" };

    public Option<double> Interval { get; } = new("--interval") { Description = "Seconds between plain log lines (0.1-3600).", DefaultValueFactory = _ => 1.0 };

    public Option<string> LogLevel { get; } = new("--log-level") { Description = "Library log level on stderr: trace, debug, information, warning, error, none.", DefaultValueFactory = _ => "warning" };

    public Option<string?> LogFile { get; } = new("--log-file") { Description = "Append log lines to this file instead of stderr (with the live view, the last lines also show under it)." };

    public RootCommand CreateCommand()
    {
        var root = new RootCommand("friture-stream: real-time audio analysis (Friture's analyzers) streamed to a web dashboard and over the network.");
        foreach (var option in new Option[]
        {
            Input, Loop, Generate, Device, Loopback, WaveIn, ListDevices, Demo, Channels, SampleRate, BlockSize, Host, Port, NoWebSocket, NoSse, NoDashboard,
            AllowedHost, MaxClients, MaxClientsPerAddress, EvictStalledAfter, LingerMs,
            Tcp, TcpPort, Udp, Mqtt, Osc, OscMaxPacket, Resolution, Token, Format, Rate, LoudnessRate, FftSize, Window, Weighting, BandsPerOctave, SpectrogramScale, PitchMin,
            PitchMax, ReferenceA4, ScopeWindow, DelayRange, Settings, SaveSettings, Duration, View, Interval, LogLevel, LogFile,
        })
        {
            root.Options.Add(option);
        }

        return root;
    }
}
