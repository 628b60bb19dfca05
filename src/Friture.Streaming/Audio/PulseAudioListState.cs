namespace Friture.Streaming.Audio;

/// <summary>What the device-list callbacks of <see cref="PulseAudioDeviceList"/> collect.</summary>
internal sealed class PulseAudioListState
{
    public List<PulseAudioDevice> Devices { get; } = [];

    public string? DefaultSource { get; set; }
}
