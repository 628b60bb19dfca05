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
    private readonly PlaybackCursor _cursor;

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
        _cursor = new PlaybackCursor(Format, options.RealTime, options.TimeProvider, options.MaxLagSeconds);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <inheritdoc/>
    public void Start() => _cursor.Start(ended: false);

    /// <inheritdoc/>
    /// <exception cref="AudioSourceException">The chain threw; the message names the source.</exception>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        if (!_cursor.TryBeginRead(destination, out var frames, out var early)
            || !_cursor.Pace(frames, cancellationToken, out _, out early))
        {
            return early;
        }

        var channels = Format.Channels;
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
                    _cursor.Ended = true;
                    break;
                }

                done += n;
                if (done % channels == 0 && done < wanted && !_cursor.IsRealTime)
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

        return _cursor.Advance(done / channels);
    }

    /// <inheritdoc/>
    public void Stop() => _cursor.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _cursor.Dispose();
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
