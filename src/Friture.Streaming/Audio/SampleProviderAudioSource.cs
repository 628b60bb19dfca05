using System.Globalization;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>
/// An <see cref="IAudioSource"/> over any NAudio <see cref="ISampleProvider"/> or <see cref="IWaveProvider"/>: a
/// <c>WaveFileReader</c>, <c>AiffFileReader</c>, <c>MediaFoundationReader</c> (MP3, AAC on Windows), a resampler, a
/// mixer, any chain of them.
/// </summary>
/// <remarks>
/// <para>
/// A wave provider is converted to samples with NAudio's own converters (<c>ToSampleProvider</c>: PCM 8/16/24/32-bit,
/// IEEE float). The stream ends when the chain's <c>Read</c> returns 0. In real time the reads are paced to
/// <see cref="SampleProviderSourceOptions.TimeProvider"/> like a <see cref="WavFileSource"/>, and, as for a file, a
/// late reader holds the clock back: nothing the chain produced is dropped.
/// </para>
/// <para>
/// The chain is started once: <see cref="Start"/> restarts the audio clock but not the chain (rewind a reader yourself
/// with its <c>Position</c>). <see cref="Read"/> allocates nothing itself; what the chain allocates is its own.
/// The source disposes the chain's root when it is <see cref="IDisposable"/>.
/// </para>
/// </remarks>
public sealed class SampleProviderAudioSource : IAudioSource
{
    private readonly ISampleProvider _provider;
    private readonly IDisposable? _owned;
    private readonly RealTimePacer? _pacer;
    private long _position;
    private volatile bool _running;
    private bool _ended;

    /// <summary>Reads a sample provider.</summary>
    /// <param name="provider">The chain; its <see cref="ISampleProvider.WaveFormat"/> gives the rate and channels.</param>
    /// <param name="name">Name for logs and errors.</param>
    /// <param name="options">Pacing; <see langword="null"/> for real time.</param>
    /// <exception cref="AudioSourceException">The chain's rate or channel count is out of the library's range.</exception>
    public SampleProviderAudioSource(ISampleProvider provider, string name, SampleProviderSourceOptions? options = null)
        : this(provider, provider as IDisposable, name, options)
    {
    }

    /// <summary>Reads a wave provider, converted to samples by NAudio.</summary>
    /// <param name="provider">The chain (PCM 8/16/24/32-bit or IEEE float).</param>
    /// <param name="name">Name for logs and errors.</param>
    /// <param name="options">Pacing; <see langword="null"/> for real time.</param>
    /// <exception cref="AudioSourceException">The chain's encoding cannot be converted, or its format is out of range.</exception>
    public SampleProviderAudioSource(IWaveProvider provider, string name, SampleProviderSourceOptions? options = null)
        : this(ToSamples(provider, name), provider as IDisposable, name, options)
    {
    }

    private SampleProviderAudioSource(ISampleProvider provider, IDisposable? owned, string name, SampleProviderSourceOptions? options)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new SampleProviderSourceOptions();
        options.Validate();
        _provider = provider;
        _owned = owned;
        Name = name;
        Format = NAudioFormats.ToAudioFormat(provider.WaveFormat, name);
        if (options.RealTime)
        {
            _pacer = new RealTimePacer(options.TimeProvider, Format.SampleRate, (long)(options.MaxLagSeconds * Format.SampleRate));
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <inheritdoc/>
    public void Start()
    {
        _position = 0;
        _ended = false;
        _running = true;
        _pacer?.Restart();
    }

    /// <inheritdoc/>
    /// <exception cref="AudioSourceException">The chain threw; the message names the source.</exception>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        var channels = Format.Channels;
        var frames = destination.Length / channels;
        if (!_running || _ended)
        {
            return new AudioReadResult(0, _position, true);
        }

        if (frames == 0)
        {
            return new AudioReadResult(0, _position, false);
        }

        if (_pacer is not null)
        {
            _pacer.HoldBack(_position);
            if (!_pacer.WaitUntil(_position + frames, cancellationToken))
            {
                return new AudioReadResult(0, _position, !_running);
            }
        }

        var wanted = frames * channels;
        var done = 0;
        try
        {
            // A chain may return fewer samples than asked (a mixer whose inputs ended, a partial frame): read until the
            // block is whole frames or the chain is finished.
            while (done < wanted)
            {
                var n = _provider.Read(destination[done..wanted]);
                if (n <= 0)
                {
                    _ended = true;
                    break;
                }

                done += n;
                if (done % channels == 0 && done < wanted && _pacer is null)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not AudioSourceException)
        {
            throw new AudioSourceException(
                string.Create(CultureInfo.InvariantCulture, $"Audio source '{Name}' failed: {ex.Message}"), ex);
        }

        var whole = done / channels;
        var first = _position;
        _position += whole;
        return new AudioReadResult(whole, first, _ended);
    }

    /// <inheritdoc/>
    public void Stop()
    {
        _running = false;
        _pacer?.Stop();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _pacer?.Dispose();
        _owned?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Format})");

    private static ISampleProvider ToSamples(IWaveProvider provider, string name)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _ = NAudioFormats.ToSampleFormat(provider.WaveFormat, name);
        try
        {
            return provider.ToSampleProvider();
        }
        catch (ArgumentException ex)
        {
            throw new AudioSourceException($"Audio source '{name}' delivers {provider.WaveFormat}, which NAudio cannot convert to samples: {ex.Message}", ex);
        }
    }
}
