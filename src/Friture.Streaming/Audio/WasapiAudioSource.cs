using System.Globalization;
using System.Runtime.Versioning;
using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>
/// Windows capture through WASAPI in shared mode, with NAudio 3's <see cref="WasapiRecorder"/>: a capture endpoint
/// (<see cref="Capture"/>) or what a render endpoint plays (<see cref="Loopback"/>).
/// </summary>
/// <remarks>
/// <para>
/// The endpoint's mix format (usually 32-bit float, WAVE_FORMAT_EXTENSIBLE, 48 kHz) is decoded to the library's
/// float blocks; a rate other than <see cref="NAudioCaptureOptions.SampleRate"/> is converted with NAudio's WDL
/// resampler. Packets go from WASAPI's thread into a bounded ring the capture loop reads; a stalled reader loses the
/// oldest audio, which the capture loop counts as an overrun.
/// </para>
/// <para>
/// A recorder that stops with an exception (device unplugged, exclusive mode taken by another program) makes
/// <see cref="Read"/> throw an <see cref="AudioSourceException"/> naming the endpoint; the API reports it through its
/// error events and stays usable. A new recorder is built at every <see cref="Start"/>, so a stopped source can be
/// started again.
/// </para>
/// <para>
/// Loopback of a render endpoint uses WASAPI's loopback flag. A capture endpoint given to <see cref="Loopback"/> (for
/// example PulseAudio's "Monitor of ..." endpoints under Wine, which carry what an output plays) is captured as it is.
/// </para>
/// </remarks>
[SupportedOSPlatform("windows")]
public sealed class WasapiAudioSource : IAudioSource
{
    private readonly string _deviceId;
    private readonly bool _loopbackFlag;
    private readonly DeviceCaptureBuffer _buffer;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(3);
    private readonly Lock _lock = new();
    private WasapiRecorder? _recorder;
    private volatile bool _stopping;
    private volatile Exception? _startFailure;

    private WasapiAudioSource(MMDevice device, bool loopbackFlag, NAudioCaptureOptions options)
    {
        _deviceId = device.ID;
        _loopbackFlag = loopbackFlag;
        Name = (loopbackFlag ? "WASAPI loopback " : "WASAPI ") + device.FriendlyName;
        var recorder = Build(device);
        try
        {
            _buffer = new DeviceCaptureBuffer(Name, recorder.WaveFormat, options.SampleRate, options.BufferSeconds);
        }
        catch
        {
            recorder.Dispose();
            throw;
        }

        _recorder = recorder;
        Format = _buffer.Format;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>The endpoint's mix format, as WASAPI delivers it.</summary>
    public WaveFormat DeviceFormat => _buffer.DeviceFormat;

    /// <summary>Whether the endpoint's rate is converted to <see cref="Format"/>'s.</summary>
    public bool IsResampling => _buffer.IsResampling;

    /// <summary>Whether WASAPI's loopback flag is used (a render endpoint).</summary>
    public bool IsLoopback => _loopbackFlag;

    /// <summary>Captures a WASAPI capture endpoint in shared mode.</summary>
    /// <param name="device">Endpoint id, friendly name, or a unique part of it; <see langword="null"/> for the default capture endpoint.</param>
    /// <param name="options">Rate conversion and buffering.</param>
    /// <returns>The source (nothing records until <see cref="Start"/>).</returns>
    /// <exception cref="AudioSourceException">The endpoint does not exist or cannot be opened; the message names it.</exception>
    public static WasapiAudioSource Capture(string? device = null, NAudioCaptureOptions? options = null) =>
        Open(device, DataFlow.Capture, loopback: false, options);

    /// <summary>Captures what a render endpoint plays (WASAPI loopback), or a monitor capture endpoint as it is.</summary>
    /// <param name="device">
    /// Render endpoint id or name (or a capture endpoint that monitors an output); <see langword="null"/> for the default
    /// render endpoint.
    /// </param>
    /// <param name="options">Rate conversion and buffering.</param>
    /// <returns>The source (nothing records until <see cref="Start"/>).</returns>
    /// <exception cref="AudioSourceException">The endpoint does not exist or cannot be opened; the message names it.</exception>
    public static WasapiAudioSource Loopback(string? device = null, NAudioCaptureOptions? options = null) =>
        Open(device, device is null ? DataFlow.Render : DataFlow.All, loopback: true, options);

    /// <inheritdoc/>
    /// <exception cref="AudioSourceException">The endpoint refused to start; the message names it.</exception>
    public void Start()
    {
        lock (_lock)
        {
            _buffer.Start();
            _stopping = false;
            try
            {
                if (_recorder is null)
                {
                    using var enumerator = new MMDeviceEnumerator();
                    using var device = enumerator.GetDevice(_deviceId);
                    _recorder = Build(device);
                }

                _recorder.DataAvailable += OnDataAvailable;
                _recorder.RecordingStopped += OnRecordingStopped;
                _startFailure = null;
                _recorder.StartRecording();
                WaitUntilCapturing(_recorder);
            }
            catch (Exception ex) when (ex is not AudioSourceException)
            {
                DisposeRecorder();
                throw new AudioSourceException(
                    string.Create(CultureInfo.InvariantCulture, $"Audio device '{Name}' could not start: {Describe(ex)}"), ex);
            }
        }
    }

    /// <inheritdoc/>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken) =>
        _buffer.Read(destination, cancellationToken);

    /// <inheritdoc/>
    public void Stop()
    {
        lock (_lock)
        {
            _stopping = true;
            DisposeRecorder();
            _buffer.Stop();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _buffer.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} ({DeviceFormat} -> {Format})");

    internal static string Describe(Exception ex) => ex switch
    {
        System.Runtime.InteropServices.COMException com when (uint)com.HResult == 0x88890003 =>
            "the endpoint cannot be captured in loopback (AUDCLNT_E_WRONG_ENDPOINT_TYPE); Wine 8 does not implement WASAPI loopback, capture a monitor endpoint instead",
        System.Runtime.InteropServices.COMException com when (uint)com.HResult == 0x8889000A =>
            "the endpoint is in use in exclusive mode by another program (AUDCLNT_E_DEVICE_IN_USE)",
        System.Runtime.InteropServices.COMException com when (uint)com.HResult == 0x88890004 =>
            "the endpoint was removed (AUDCLNT_E_DEVICE_INVALIDATED)",
        _ => ex.Message,
    };

    private static WasapiAudioSource Open(string? device, DataFlow flow, bool loopback, NAudioCaptureOptions? options)
    {
        options ??= new NAudioCaptureOptions();
        options.Validate();
        MMDevice endpoint;
        try
        {
            using var enumerator = new MMDeviceEnumerator();
            endpoint = WindowsAudioDevices.Find(enumerator, device, flow);
        }
        catch (Exception ex) when (ex is System.Runtime.InteropServices.COMException or InvalidOperationException)
        {
            throw new AudioSourceException($"The Windows audio endpoints cannot be listed: {ex.Message}", ex);
        }

        using (endpoint)
        {
            try
            {
                return new WasapiAudioSource(endpoint, loopback && endpoint.DataFlow == DataFlow.Render, options);
            }
            catch (Exception ex) when (ex is not AudioSourceException and not ArgumentException)
            {
                throw new AudioSourceException(
                    string.Create(CultureInfo.InvariantCulture, $"Audio device '{endpoint.FriendlyName}' cannot be opened: {Describe(ex)}"), ex);
            }
        }
    }

    private WasapiRecorder Build(MMDevice device)
    {
        var builder = new WasapiRecorderBuilder().WithDevice(device).WithSharedMode().WithEventSync().WithBufferLength(100);
        if (_loopbackFlag)
        {
            builder = builder.WithLoopbackCapture();
        }

        return builder.Build();
    }

    // WasapiRecorder initialises the stream on its own thread: wait (at most StartTimeout) until it captures or fails,
    // so that a refused endpoint (loopback where there is none, exclusive mode taken) fails Start with one clear error
    // rather than a moment later through the error events.
    private void WaitUntilCapturing(WasapiRecorder recorder)
    {
        var deadline = Environment.TickCount64 + (long)StartTimeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (_startFailure is { } failure)
            {
                throw new AudioSourceException(
                    string.Create(CultureInfo.InvariantCulture, $"Audio device '{Name}' could not start: {Describe(failure)}"), failure);
            }

            if (recorder.CaptureState == CaptureState.Capturing)
            {
                return;
            }

            Thread.Sleep(5);
        }
    }

    private void DisposeRecorder()
    {
        if (_recorder is { } recorder)
        {
            _recorder = null;
            recorder.DataAvailable -= OnDataAvailable;
            recorder.RecordingStopped -= OnRecordingStopped;
            try
            {
                recorder.StopRecording();
            }
            catch (Exception ex) when (ex is System.Runtime.InteropServices.COMException or InvalidOperationException)
            {
                // Already stopped by a failure, which was reported through RecordingStopped.
            }

            recorder.Dispose();
        }
    }

    private void OnDataAvailable(ReadOnlySpan<byte> buffer, AudioClientBufferFlags flags, long devicePosition, long qpcPosition) =>
        _buffer.Write(buffer);

    private void OnRecordingStopped(object? sender, StoppedEventArgs e)
    {
        if (e.Exception is { } error)
        {
            _startFailure = error;
            _buffer.Fail(new InvalidOperationException(Describe(error), error));
        }
        else if (!_stopping)
        {
            _buffer.Fail(new InvalidOperationException("the endpoint stopped recording by itself"));
        }
    }
}
