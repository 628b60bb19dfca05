using System.Globalization;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>
/// The capture loop over any NAudio <see cref="IWaveIn"/>: WinMM's <c>WaveIn</c>, ASIO or a recorder of your own.
/// Every format the device hands over (PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE)
/// becomes the library's float blocks on the audio clock.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IWaveIn.DataAvailable"/> is decoded on the device's thread into a bounded ring
/// (<see cref="NAudioCaptureOptions.BufferSeconds"/>); the capture loop reads it. When the device runs at another rate
/// than <see cref="NAudioCaptureOptions.SampleRate"/>, NAudio's WDL resampler converts it.
/// </para>
/// <para>
/// <see cref="IWaveIn.RecordingStopped"/> with an exception (device unplugged, format refused) makes
/// <see cref="Read"/> throw an <see cref="AudioSourceException"/> naming the device; the capture loop reports it through
/// the API's error events and the API stays usable. A device that stops by itself without an exception is reported the
/// same way. The source owns the <see cref="IWaveIn"/> and disposes it.
/// </para>
/// </remarks>
public sealed class WaveInAudioSource : IAudioSource
{
    private readonly IWaveIn _waveIn;
    private readonly DeviceCaptureBuffer _buffer;
    private volatile bool _stopping;
    private bool _recording;

    /// <summary>Wraps a recorder; its <see cref="IWaveIn.WaveFormat"/> must be set before this call.</summary>
    /// <param name="waveIn">The recorder (the source takes ownership).</param>
    /// <param name="name">Name for logs and errors (the device).</param>
    /// <param name="options">Rate conversion and buffering; <see langword="null"/> for the defaults.</param>
    /// <exception cref="AudioSourceException">The recorder's format cannot be decoded.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public WaveInAudioSource(IWaveIn waveIn, string name, NAudioCaptureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(waveIn);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new NAudioCaptureOptions();
        options.Validate();
        _waveIn = waveIn;
        Name = name;
        _buffer = new DeviceCaptureBuffer(name, waveIn.WaveFormat, options.SampleRate, options.BufferSeconds);
        Format = _buffer.Format;
        _waveIn.DataAvailable += OnDataAvailable;
        _waveIn.RecordingStopped += OnRecordingStopped;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>What the device delivers.</summary>
    public WaveFormat DeviceFormat => _buffer.DeviceFormat;

    /// <summary>Whether the device's rate is converted to <see cref="Format"/>'s.</summary>
    public bool IsResampling => _buffer.IsResampling;

    /// <summary>
    /// Opens WinMM's <c>WaveIn</c> (NAudio's event-driven recorder) on a device, asking for 16-bit PCM at the device
    /// rate given.
    /// </summary>
    /// <param name="deviceNumber">The WaveIn device number (0 to <c>WaveIn.DeviceCount - 1</c>; -1 is the WAVE_MAPPER default).</param>
    /// <param name="sampleRate">The rate asked of the device, in Hz. Default 48000.</param>
    /// <param name="channels">Channels asked of the device. Default 2.</param>
    /// <param name="options">Rate conversion and buffering.</param>
    /// <returns>The source (nothing records until <see cref="Start"/>).</returns>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    public static WaveInAudioSource OpenWaveIn(int deviceNumber = -1, int sampleRate = 48_000, int channels = 2, NAudioCaptureOptions? options = null)
    {
        AudioOptionChecks.Format(sampleRate, channels, nameof(sampleRate), nameof(channels));
        var name = WindowsAudioDevices.WaveInName(deviceNumber);
        var waveIn = new WaveIn
        {
            DeviceNumber = deviceNumber,
            WaveFormat = new WaveFormat(sampleRate, 16, channels),
            BufferMilliseconds = 20,
            NumberOfBuffers = 4,
        };
        try
        {
            return new WaveInAudioSource(waveIn, name, options);
        }
        catch
        {
            waveIn.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="AudioSourceException">The device refused to start; the message names it.</exception>
    public void Start()
    {
        _buffer.Start();
        _stopping = false;
        try
        {
            _waveIn.StartRecording();
            _recording = true;
        }
        catch (Exception ex) when (ex is not AudioSourceException)
        {
            throw new AudioSourceException(
                string.Create(CultureInfo.InvariantCulture, $"Audio device '{Name}' could not start: {ex.Message}"), ex);
        }
    }

    /// <inheritdoc/>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken) =>
        _buffer.Read(destination, cancellationToken);

    /// <inheritdoc/>
    public void Stop()
    {
        _stopping = true;
        if (_recording)
        {
            _recording = false;
            _waveIn.StopRecording();
        }

        _buffer.Stop();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _waveIn.DataAvailable -= OnDataAvailable;
        _waveIn.RecordingStopped -= OnRecordingStopped;
        _waveIn.Dispose();
        _buffer.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} ({DeviceFormat} -> {Format})");

    private void OnDataAvailable(object? sender, WaveInEventArgs e) =>
        _buffer.Write(e.BufferSpan);

    private void OnRecordingStopped(object? sender, StoppedEventArgs e)
    {
        if (e.Exception is { } error)
        {
            _buffer.Fail(error);
        }
        else if (!_stopping)
        {
            _buffer.Fail(new InvalidOperationException("the device stopped recording by itself"));
        }
    }
}
