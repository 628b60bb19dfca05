using System.Globalization;

namespace Friture.Streaming.Audio;

/// <summary>Shared validation of audio options, with messages that name the option, the value and the allowed range.</summary>
internal static class AudioOptionChecks
{
    public static AudioFormat Format(int sampleRate, int channels, string sampleRateOption = "SampleRate", string channelsOption = "Channels")
    {
        if (sampleRate is < AudioFormat.MinSampleRate or > AudioFormat.MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(sampleRateOption, sampleRate,
                $"{sampleRateOption} is {sampleRate} Hz; it must be between {AudioFormat.MinSampleRate} and {AudioFormat.MaxSampleRate} Hz.");
        }

        if (channels is < 1 or > AudioFormat.MaxChannels)
        {
            throw new ArgumentOutOfRangeException(channelsOption, channels,
                $"{channelsOption} is {channels}; it must be between 1 and {AudioFormat.MaxChannels}.");
        }

        return new AudioFormat(sampleRate, channels);
    }

    public static void Range(string name, double value, double min, double max, string unit, string? allowed = null)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            var text = allowed ?? string.Create(CultureInfo.InvariantCulture, $"between {min} and {max} {unit}");
            throw new ArgumentOutOfRangeException(name, value,
                string.Create(CultureInfo.InvariantCulture, $"{name} is {value} {unit}; it must be {text}."));
        }
    }

    public static void Range(string name, long value, long min, long max, string unit)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value,
                string.Create(CultureInfo.InvariantCulture, $"{name} is {value} {unit}; it must be between {min} and {max} {unit}."));
        }
    }
}
