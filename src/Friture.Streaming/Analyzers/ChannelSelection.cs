using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json.Serialization;
using Friture.Streaming.Audio;

namespace Friture.Streaming.Analyzers;

/// <summary>
/// Which input channel an analyzer sees: one channel, numbered from 1 (Friture issue #254), or the mono sum
/// (average) of all channels (Friture issue #130).
/// </summary>
/// <remarks>Serialized as the channel number (<c>1</c>, <c>2</c>, ...) or the string <c>"sum"</c> in settings.</remarks>
public readonly record struct ChannelSelection
{
    private ChannelSelection(int channel) => Channel = channel;

    /// <summary>The first channel (the default, as in Friture).</summary>
    public static ChannelSelection First { get; } = new(1);

    /// <summary>The average of every input channel.</summary>
    public static ChannelSelection MonoSum { get; } = new(0);

    /// <summary>The 1-based channel number, or 0 for <see cref="MonoSum"/>.</summary>
    public int Channel { get; }

    /// <summary>Whether this is the mono sum of all channels.</summary>
    [JsonIgnore]
    public bool IsMonoSum => Channel == 0;

    /// <summary>Selects one channel.</summary>
    /// <param name="oneBasedChannel">Channel number, 1 to 32.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The number is out of range.</exception>
    public static ChannelSelection FromChannel(int oneBasedChannel)
    {
        if (oneBasedChannel is < 1 or > AudioFormat.MaxChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(oneBasedChannel), oneBasedChannel,
                $"channel is {oneBasedChannel}; channels are numbered from 1 to {AudioFormat.MaxChannels}.");
        }

        return new ChannelSelection(oneBasedChannel);
    }

    /// <summary>Parses <c>1</c>..<c>32</c> or <c>sum</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="FormatException">The text is neither.</exception>
    public static ChannelSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.Equals(text.Trim(), "sum", StringComparison.OrdinalIgnoreCase))
        {
            return MonoSum;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n is >= 1 and <= AudioFormat.MaxChannels)
        {
            return new ChannelSelection(n);
        }

        throw new FormatException($"channel '{text}' is not valid: use a channel number from 1 to {AudioFormat.MaxChannels}, or 'sum'.");
    }

    /// <summary>Checks that the selection exists in a format.</summary>
    /// <param name="format">The input format.</param>
    /// <param name="optionName">The option's name for the error message.</param>
    /// <exception cref="ArgumentOutOfRangeException">The channel is beyond the input's channel count.</exception>
    public void Validate(AudioFormat format, string optionName = "channel")
    {
        if (!IsMonoSum && Channel > format.Channels)
        {
            throw new ArgumentOutOfRangeException(optionName, Channel,
                $"{optionName} is {Channel}, but the input has {format.Channels} channel(s).");
        }
    }

    /// <summary>
    /// Copies the selected channel (or the mono sum) of an interleaved block into <paramref name="destination"/>,
    /// which must hold one value per frame. Does not allocate.
    /// </summary>
    /// <param name="interleaved">Interleaved samples.</param>
    /// <param name="channels">Channel count of <paramref name="interleaved"/>.</param>
    /// <param name="destination">One sample per frame.</param>
    public void Extract(ReadOnlySpan<float> interleaved, int channels, Span<float> destination)
    {
        var frames = interleaved.Length / channels;
        if (destination.Length < frames)
        {
            throw new ArgumentException($"destination holds {destination.Length} samples; {frames} are needed.", nameof(destination));
        }

        if (channels == 1)
        {
            interleaved[..frames].CopyTo(destination);
            return;
        }

        var done = channels == 2 ? ExtractStereo(interleaved, destination, frames) : 0;
        if (done == frames)
        {
            return;
        }

        interleaved = interleaved[(done * channels)..];
        destination = destination[done..];
        frames -= done;

        if (IsMonoSum)
        {
            var scale = 1f / channels;
            for (var i = 0; i < frames; i++)
            {
                var sum = 0f;
                var row = interleaved.Slice(i * channels, channels);
                foreach (var s in row)
                {
                    sum += s;
                }

                destination[i] = sum * scale;
            }

            return;
        }

        var c = Channel - 1;
        for (var i = 0; i < frames; i++)
        {
            destination[i] = interleaved[(i * channels) + c];
        }
    }

    /// <inheritdoc/>
    public override string ToString() => IsMonoSum ? "sum" : Channel.ToString(System.Globalization.CultureInfo.InvariantCulture);
    /// <summary>
    /// The stereo case (the usual one) eight frames at a time: a cross-lane permute puts each vector's left samples in
    /// its lower half and right samples in its upper half. Same arithmetic as the scalar loop, so the same results.
    /// </summary>
    /// <returns>The number of frames written (a multiple of 8; the caller finishes the rest).</returns>
    private int ExtractStereo(ReadOnlySpan<float> interleaved, Span<float> destination, int frames)
    {
        if (!Vector256.IsHardwareAccelerated || frames < 8)
        {
            return 0;
        }

        var split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var half = Vector128.Create(0.5f);
        ref var source = ref MemoryMarshal.GetReference(interleaved);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        for (; i + 8 <= frames; i += 8)
        {
            var a = Vector256.Shuffle(Vector256.LoadUnsafe(ref source, (nuint)(2 * i)), split);
            var b = Vector256.Shuffle(Vector256.LoadUnsafe(ref source, (nuint)((2 * i) + 8)), split);
            var result = Channel switch
            {
                1 => Vector256.Create(a.GetLower(), b.GetLower()),
                2 => Vector256.Create(a.GetUpper(), b.GetUpper()),
                _ => Vector256.Create((a.GetLower() + a.GetUpper()) * half, (b.GetLower() + b.GetUpper()) * half),
            };
            result.StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }
}
