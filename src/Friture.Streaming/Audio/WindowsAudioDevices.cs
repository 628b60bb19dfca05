using System.Globalization;
using System.Runtime.Versioning;
using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>Lists Windows audio endpoints through NAudio (WASAPI's MMDeviceEnumerator and WinMM's WaveIn).</summary>
[SupportedOSPlatform("windows")]
public static class WindowsAudioDevices
{
    /// <summary>Lists the active WASAPI capture and render endpoints and the WaveIn devices, each kind's default marked.</summary>
    /// <returns>Capture endpoints first, then render endpoints, then WaveIn devices.</returns>
    /// <exception cref="AudioSourceException">The Windows audio service cannot be reached.</exception>
    public static IReadOnlyList<WindowsAudioDevice> List()
    {
        var list = new List<WindowsAudioDevice>();
        try
        {
            using var enumerator = new MMDeviceEnumerator();
            AddEndpoints(enumerator, DataFlow.Capture, AudioDeviceKind.WasapiCapture, list);
            AddEndpoints(enumerator, DataFlow.Render, AudioDeviceKind.WasapiRender, list);
        }
        catch (Exception ex) when (ex is System.Runtime.InteropServices.COMException or InvalidOperationException)
        {
            throw new AudioSourceException($"The Windows audio endpoints cannot be listed: {ex.Message}", ex);
        }

        var count = WaveIn.DeviceCount;
        for (var i = 0; i < count; i++)
        {
            var caps = WaveIn.GetCapabilities(i);
            list.Add(new WindowsAudioDevice(i.ToString(CultureInfo.InvariantCulture), caps.ProductName, AudioDeviceKind.WaveIn, i == 0, 0, caps.Channels));
        }

        return list;
    }

    /// <summary>Finds a WASAPI endpoint by id, exact friendly name, or a part of the name that matches only one endpoint.</summary>
    /// <param name="enumerator">The enumerator.</param>
    /// <param name="device">Id or name; <see langword="null"/> for the default endpoint of <paramref name="flow"/>.</param>
    /// <param name="flow">Capture or render; <see cref="DataFlow.All"/> searches both (the default then is the capture one).</param>
    /// <returns>The endpoint (the caller disposes it).</returns>
    /// <exception cref="AudioSourceException">No endpoint, or several, match; the message lists what exists.</exception>
    internal static MMDevice Find(MMDeviceEnumerator enumerator, string? device, DataFlow flow)
    {
        if (string.IsNullOrWhiteSpace(device))
        {
            var defaultFlow = flow == DataFlow.All ? DataFlow.Capture : flow;
            if (!enumerator.TryGetDefaultAudioEndpoint(defaultFlow, Role.Console, out var found))
            {
                throw new AudioSourceException(defaultFlow == DataFlow.Capture
                    ? "There is no default Windows capture device; connect one, or choose one with --device (see --list-devices)."
                    : "There is no default Windows playback device to capture in loopback; choose one with --device (see --list-devices).");
            }

            return found;
        }

        // NAudio hands out each endpoint for the time of one enumeration step: read what is needed inside the loop,
        // then open the chosen one again by id.
        var all = new List<(string Id, string Name)>();
        foreach (var endpoint in enumerator.EnumerateAudioEndPoints(flow, DeviceState.Active))
        {
            using (endpoint)
            {
                all.Add((endpoint.ID, endpoint.FriendlyName));
            }
        }

        var match = all.FindIndex(d => string.Equals(d.Id, device, StringComparison.OrdinalIgnoreCase));
        if (match < 0)
        {
            match = all.FindIndex(d => string.Equals(d.Name, device, StringComparison.OrdinalIgnoreCase));
        }

        if (match < 0)
        {
            var partial = all.Where(d => d.Name.Contains(device, StringComparison.OrdinalIgnoreCase)).ToList();
            if (partial.Count > 1)
            {
                throw new AudioSourceException(
                    $"Audio device '{device}' matches {partial.Count} endpoints ({string.Join(", ", partial.Select(d => $"'{d.Name}'"))}); give the full name or the id.");
            }

            match = partial.Count == 1 ? all.IndexOf(partial[0]) : -1;
        }

        if (match < 0)
        {
            var names = string.Join(", ", all.Select(d => $"'{d.Name}'"));
            throw new AudioSourceException(
                $"Audio device '{device}' was not found; the active endpoints are: {(names.Length == 0 ? "none" : names)} (see --list-devices).");
        }

        return enumerator.GetDevice(all[match].Id);
    }

    internal static string WaveInName(int deviceNumber)
    {
        if (deviceNumber < 0)
        {
            return "WaveIn default device";
        }

        var count = WaveIn.DeviceCount;
        if (deviceNumber >= count)
        {
            throw new AudioSourceException(string.Create(CultureInfo.InvariantCulture,
                $"WaveIn device {deviceNumber} does not exist; there are {count} (numbers 0 to {count - 1}, see --list-devices)."));
        }

        return "WaveIn " + WaveIn.GetCapabilities(deviceNumber).ProductName;
    }

    private static void AddEndpoints(MMDeviceEnumerator enumerator, DataFlow flow, AudioDeviceKind kind, List<WindowsAudioDevice> list)
    {
        string? defaultId = null;
        if (enumerator.TryGetDefaultAudioEndpoint(flow, Role.Console, out var defaultDevice))
        {
            defaultId = defaultDevice.ID;
            defaultDevice.Dispose();
        }

        foreach (var device in enumerator.EnumerateAudioEndPoints(flow, DeviceState.Active))
        {
            using (device)
            {
                int rate = 0, channels = 0;
                try
                {
                    using var client = device.CreateAudioClient();
                    var mix = client.MixFormat;
                    rate = mix.SampleRate;
                    channels = mix.Channels;
                }
                catch (Exception ex) when (ex is System.Runtime.InteropServices.COMException or InvalidOperationException)
                {
                    // Listed without its format: an endpoint that cannot be opened now can still be shown.
                }

                list.Add(new WindowsAudioDevice(device.ID, device.FriendlyName, kind, device.ID == defaultId, rate, channels));
            }
        }
    }
}
