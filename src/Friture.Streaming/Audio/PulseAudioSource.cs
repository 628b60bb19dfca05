using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Friture.Streaming.Audio;

/// <summary>
/// Live capture on Linux through PulseAudio, or PipeWire's PulseAudio server, by P/Invoke to the system's
/// <c>libpulse-simple.so.0</c> (install <c>libpulse0</c>; no NuGet package is needed).
/// </summary>
/// <remarks>
/// <para>
/// Captures float32 at any rate from 8 to 192 kHz and 1 to 32 channels from the default source or one chosen by name
/// (<see cref="ListDevices"/>); the server converts from the device's own format. To analyse what the machine plays,
/// capture the monitor of an output (<c>&lt;sink&gt;.monitor</c>).
/// </para>
/// <para>
/// The frame index counts frames delivered since <see cref="Start"/>. The simple API does not report the server's own
/// buffer overflows (it holds about 2 s by default, so only a capture thread stalled for that long loses audio
/// unseen); everything else the capture loop measures. A daemon that goes away, or a named source that disappears (see
/// <see cref="DeviceCheckInterval"/>), makes <see cref="Read"/> throw an
/// <see cref="AudioSourceException"/>, which the capture loop reports; the source can be started again later.
/// <see cref="Read"/> does not allocate.
/// </para>
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class PulseAudioSource : IAudioSource
{
    private readonly PulseAudioSourceOptions _options;
    private readonly Lock _lock = new();
    private nint _handle;
    private bool _reading;
    private bool _stopRequested;
    private long _position;
    private ITimer? _watch;
    private int _checking;
    private volatile string? _gone;

    /// <summary>Creates a source; nothing connects until <see cref="Start"/>.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the default source at 48 kHz stereo.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public PulseAudioSource(PulseAudioSourceOptions? options = null)
    {
        _options = options ?? new PulseAudioSourceOptions();
        Format = _options.Validate();
        Name = "PulseAudio " + (_options.DeviceName ?? "default source");
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>Lists the capture sources of the server, monitors of outputs included.</summary>
    /// <param name="server">The server, or <see langword="null"/> for the usual lookup.</param>
    /// <param name="timeout">How long to wait for the server; default 5 s.</param>
    /// <returns>The sources, in the server's order.</returns>
    /// <exception cref="AudioSourceException">libpulse is missing, or the server cannot be reached in time.</exception>
    public static IReadOnlyList<PulseAudioDevice> ListDevices(string? server = null, TimeSpan? timeout = null) =>
        PulseAudioDeviceList.Query(server, timeout ?? TimeSpan.FromSeconds(5));

    /// <inheritdoc/>
    /// <exception cref="AudioSourceException">libpulse is missing, the server cannot be reached, or the device does not exist.</exception>
    public void Start()
    {
        lock (_lock)
        {
            if (_handle != 0)
            {
                throw new InvalidOperationException($"{Name} is already started.");
            }

            var spec = new PulseAudioNative.SampleSpec
            {
                Format = PulseAudioNative.SampleFloat32Le,
                Rate = (uint)Format.SampleRate,
                Channels = (byte)Format.Channels,
            };
            var attributes = new PulseAudioNative.BufferAttr
            {
                MaxLength = uint.MaxValue,
                TLength = uint.MaxValue,
                PreBuf = uint.MaxValue,
                MinReq = uint.MaxValue,
                FragSize = (uint)(_options.FragmentFrames * Format.Channels * sizeof(float)),
            };
            nint handle;
            int error;
            try
            {
                handle = PulseAudioNative.SimpleNew(_options.Server, _options.ApplicationName, PulseAudioNative.StreamRecord,
                    _options.DeviceName, "capture", spec, 0, attributes, out error);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                throw new AudioSourceException($"{Name} cannot start: libpulse-simple.so.0 is not installed (Debian/Ubuntu: apt-get install libpulse0).", ex);
            }

            if (handle == 0)
            {
                throw new AudioSourceException(string.Create(CultureInfo.InvariantCulture,
                    $"{Name} cannot start ({Format}): {PulseAudioNative.ErrorText(error)}."));
            }

            _handle = handle;
            _stopRequested = false;
            _position = 0;
            _gone = null;
            if (WatchesDevice(_options.DeviceName))
            {
                _watch = TimeProvider.System.CreateTimer(static s => ((PulseAudioSource)s!).CheckDevice(), this, DeviceCheckInterval, DeviceCheckInterval);
            }
        }
    }

    /// <summary>How often a named device is checked for, while capturing.</summary>
    internal static readonly TimeSpan DeviceCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A named source that disappears (a USB microphone unplugged, a null sink's module unloaded) does not end a
    /// PulseAudio (or PipeWire) recording: the server moves the stream to another source, and the analysis would go on
    /// with other audio, or silence, and no word. So while a source named by <see cref="PulseAudioSourceOptions.DeviceName"/>
    /// is captured, its presence is checked every <see cref="DeviceCheckInterval"/> on a timer thread (never on the capture
    /// thread); when it is gone, the next <see cref="Read"/> fails naming it. Special names (<c>@DEFAULT_SOURCE@</c>,
    /// <c>@DEFAULT_MONITOR@</c>) and numeric indices follow the server's choice and are not checked.
    /// </summary>
    private static bool WatchesDevice(string? device) =>
        !string.IsNullOrEmpty(device) && !device.StartsWith('@') && !device.All(char.IsAsciiDigit);

    private void CheckDevice()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            var devices = PulseAudioDeviceList.Query(_options.Server, TimeSpan.FromSeconds(2));
            var device = _options.DeviceName!;
            if (!devices.Any(d => string.Equals(d.Name, device, StringComparison.Ordinal)))
            {
                _gone = $"{Name} failed: the source '{device}' is gone (unplugged, or its module unloaded), and PulseAudio moved the recording to another source.";
            }
        }
        catch (AudioSourceException)
        {
            // The server cannot be reached: the recording's own read fails and says so.
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    /// <inheritdoc/>
    public unsafe AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        var frames = destination.Length / Format.Channels;
        nint handle;
        lock (_lock)
        {
            if (_handle == 0 || _stopRequested)
            {
                return new AudioReadResult(0, _position, true);
            }

            if (frames == 0 || cancellationToken.IsCancellationRequested)
            {
                return new AudioReadResult(0, _position, false);
            }

            _reading = true;
            handle = _handle;
        }

        int result;
        int error;
        fixed (float* p = destination)
        {
            // Returns when the whole buffer is filled: one fragment when FragmentFrames matches the block size.
            result = PulseAudioNative.SimpleRead(handle, p, (nuint)(frames * Format.Channels * sizeof(float)), out error);
        }

        lock (_lock)
        {
            _reading = false;
            if (_stopRequested)
            {
                FreeHandle();
                return new AudioReadResult(0, _position, true);
            }

            if (result < 0)
            {
                FreeHandle();
                throw new AudioSourceException($"{Name} failed: {PulseAudioNative.ErrorText(error)}.");
            }

            if (_gone is { } gone)
            {
                FreeHandle();
                throw new AudioSourceException(gone);
            }

            var first = _position;
            _position += frames;
            return new AudioReadResult(frames, first, false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>A read in progress finishes its fragment (a few milliseconds) and the connection is then closed.</remarks>
    public void Stop()
    {
        lock (_lock)
        {
            _stopRequested = true;
            if (!_reading)
            {
                FreeHandle();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Stop();

    private void FreeHandle()
    {
        _watch?.Dispose();
        _watch = null;
        if (_handle != 0)
        {
            PulseAudioNative.SimpleFree(_handle);
            _handle = 0;
        }
    }
}

