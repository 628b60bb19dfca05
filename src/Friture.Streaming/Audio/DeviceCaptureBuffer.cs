using System.Globalization;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>
/// What the NAudio capture sources share: bytes a device hands over on its own thread are decoded to float (PCM
/// 8/16/24/32-bit, IEEE float, WAVE_FORMAT_EXTENSIBLE), resampled when the device runs at another rate, and kept in a
/// bounded ring the capture loop reads; a device failure is kept and thrown from <see cref="Read"/>.
/// </summary>
/// <remarks>
/// The ring is a <see cref="PushAudioSource"/>, so a capture thread that falls behind loses the oldest audio and the
/// capture loop sees the gap as an overrun. A device delivers whole frames; a partial frame is carried over to the next
/// callback. <see cref="Read"/> does not allocate; <see cref="Write"/> allocates only when a callback is larger than
/// any before it (and NAudio's resampler may grow its own input buffer).
/// </remarks>
internal sealed class DeviceCaptureBuffer : IDisposable
{
    private const int ChunkFrames = 4096;

    private readonly PushAudioSource _ring;
    private readonly WavSampleFormat _sampleFormat;
    private readonly int _channels;
    private readonly int _blockAlign;
    private readonly StreamResampler? _resampler;
    private readonly byte[] _carry;
    private readonly float[] _decoded;
    private readonly float[] _resampled;
    private readonly Lock _writeLock = new();
    private int _carried;
    private volatile Exception? _failure;

    /// <summary>Creates the buffer for a device format.</summary>
    /// <param name="name">The device, for messages.</param>
    /// <param name="deviceFormat">What the device delivers.</param>
    /// <param name="outputRate">The rate the library works at; 0 keeps the device's.</param>
    /// <param name="bufferSeconds">Ring length in seconds.</param>
    /// <exception cref="AudioSourceException">The device format cannot be decoded.</exception>
    public DeviceCaptureBuffer(string name, WaveFormat deviceFormat, int outputRate, double bufferSeconds)
    {
        Name = name;
        DeviceFormat = deviceFormat;
        _sampleFormat = NAudioFormats.ToSampleFormat(deviceFormat, name);
        var device = NAudioFormats.ToAudioFormat(deviceFormat, name);
        _channels = device.Channels;
        _blockAlign = NAudioFormats.BytesOf(_sampleFormat) * _channels;
        var rate = outputRate == 0 ? device.SampleRate : outputRate;
        Format = new AudioFormat(rate, _channels);
        if (rate != device.SampleRate)
        {
            _resampler = new StreamResampler(device.SampleRate, rate, _channels);
            _resampled = new float[_resampler.MaxOutputFrames(ChunkFrames) * _channels];
        }
        else
        {
            _resampled = [];
        }

        _carry = new byte[_blockAlign];
        _decoded = new float[ChunkFrames * _channels];
        var capacity = (int)Math.Clamp(bufferSeconds * rate, 64, rate * 60.0);
        _ring = new PushAudioSource(Format, capacity, name);
    }

    /// <summary>The device, for messages.</summary>
    public string Name { get; }

    /// <summary>What the device delivers.</summary>
    public WaveFormat DeviceFormat { get; }

    /// <summary>What <see cref="Read"/> delivers.</summary>
    public AudioFormat Format { get; }

    /// <summary>Whether the device's rate is converted.</summary>
    public bool IsResampling => _resampler is not null;

    /// <summary>Frames lost because the reader fell behind.</summary>
    public long DroppedFrames => _ring.DroppedFrames;

    /// <summary>Empties the ring and forgets any failure; the clock restarts at 0.</summary>
    public void Start()
    {
        lock (_writeLock)
        {
            _failure = null;
            _carried = 0;
            _resampler?.Reset();
            _ring.Start();
        }
    }

    /// <summary>Wakes a pending <see cref="Read"/>, which then reports the end of capture.</summary>
    public void Stop() => _ring.Stop();

    /// <summary>Records a device failure and wakes the reader, which throws it.</summary>
    /// <param name="exception">What the device reported.</param>
    public void Fail(Exception exception)
    {
        _failure = exception;
        _ring.Stop();
    }

    /// <summary>Decodes and stores what a device callback delivered. Called on the device's thread.</summary>
    /// <param name="bytes">The device's bytes, in <see cref="DeviceFormat"/>.</param>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        lock (_writeLock)
        {
            if (_carried > 0)
            {
                var take = Math.Min(_blockAlign - _carried, bytes.Length);
                bytes[..take].CopyTo(_carry.AsSpan(_carried));
                _carried += take;
                bytes = bytes[take..];
                if (_carried < _blockAlign)
                {
                    return;
                }

                WriteFrames(_carry);
                _carried = 0;
            }

            var whole = bytes.Length / _blockAlign * _blockAlign;
            WriteFrames(bytes[..whole]);
            var rest = bytes[whole..];
            rest.CopyTo(_carry);
            _carried = rest.Length;
        }
    }

    /// <summary>Reads what the device delivered (see <see cref="IAudioSource.Read"/>).</summary>
    /// <param name="destination">Interleaved destination.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>What was read.</returns>
    /// <exception cref="AudioSourceException">The device failed; the message names it.</exception>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        var result = _ring.Read(destination, cancellationToken);
        if (result.Frames == 0 && _failure is { } failure)
        {
            throw new AudioSourceException(
                string.Create(CultureInfo.InvariantCulture, $"Audio device '{Name}' stopped: {failure.Message}"), failure);
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => _ring.Dispose();

    private void WriteFrames(ReadOnlySpan<byte> bytes)
    {
        var bytesPerChunk = ChunkFrames * _blockAlign;
        while (!bytes.IsEmpty)
        {
            var chunk = bytes[..Math.Min(bytes.Length, bytesPerChunk)];
            var samples = chunk.Length / _blockAlign * _channels;
            var decoded = _decoded.AsSpan(0, samples);
            WavReader.Convert(chunk, _sampleFormat, decoded);
            if (_resampler is null)
            {
                _ring.Write(decoded);
            }
            else
            {
                var frames = _resampler.Process(decoded, _resampled);
                _ring.Write(_resampled.AsSpan(0, frames * _channels));
            }

            bytes = bytes[chunk.Length..];
        }
    }
}
