using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>
/// An NAudio <see cref="ISampleProvider"/> view of one of the library's sources (a <see cref="SignalGeneratorSource"/>,
/// <see cref="WavFileSource"/>, <see cref="PulseAudioSource"/>, ...), for applications that already have an NAudio
/// graph: mix the generator into a <c>MixingSampleProvider</c>, write it with <c>WaveFileWriter</c>, play it.
/// </summary>
/// <remarks>
/// The source is started on the first <see cref="Read"/> and stopped by <see cref="Dispose"/>. A read blocks as the
/// source does (a real-time source paces it) and returns 0 at the end of the stream. Frames the source lost (a gap in
/// its frame index) are not filled in: NAudio graphs have no clock to carry it. Not thread-safe, like NAudio's providers.
/// </remarks>
public sealed class AudioSourceSampleProvider : ISampleProvider, IDisposable
{
    private readonly IAudioSource _source;
    private readonly bool _ownsSource;
    private bool _started;
    private bool _ended;

    /// <summary>Wraps a source (not yet started).</summary>
    /// <param name="source">The source.</param>
    /// <param name="ownsSource">Whether <see cref="Dispose"/> disposes the source too. Default <see langword="true"/>.</param>
    public AudioSourceSampleProvider(IAudioSource source, bool ownsSource = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _ownsSource = ownsSource;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.Format.SampleRate, source.Format.Channels);
    }

    /// <summary>IEEE float at the source's rate and channel count.</summary>
    public WaveFormat WaveFormat { get; }

    /// <summary>Reads interleaved samples; blocks while a real-time source waits for its clock.</summary>
    /// <param name="buffer">Where to write; whole frames are written.</param>
    /// <returns>Samples written; 0 at the end of the stream.</returns>
    /// <exception cref="AudioSourceException">The source failed.</exception>
    public int Read(Span<float> buffer)
    {
        if (_ended)
        {
            return 0;
        }

        if (!_started)
        {
            _source.Start();
            _started = true;
        }

        var channels = _source.Format.Channels;
        var frames = buffer.Length / channels;
        var done = 0;
        while (done < frames)
        {
            var result = _source.Read(buffer.Slice(done * channels, (frames - done) * channels), CancellationToken.None);
            done += result.Frames;
            if (result.EndOfStream)
            {
                _ended = true;
                break;
            }

            if (result.Frames == 0)
            {
                break;
            }
        }

        return done * channels;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_started)
        {
            _source.Stop();
        }

        if (_ownsSource)
        {
            _source.Dispose();
        }
    }
}
