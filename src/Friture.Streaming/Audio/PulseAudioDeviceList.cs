using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Friture.Streaming.Audio;

/// <summary>Lists PulseAudio capture sources through libpulse's main loop and introspection API.</summary>
/// <remarks>Not real-time: polls the main loop until the answers arrive or the deadline passes.</remarks>
[SupportedOSPlatform("linux")]
internal static class PulseAudioDeviceList
{
    public static unsafe IReadOnlyList<PulseAudioDevice> Query(string? server, TimeSpan timeout)
    {
        nint mainloop;
        try
        {
            mainloop = PulseAudioNative.MainloopNew();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new AudioSourceException("PulseAudio devices cannot be listed: libpulse.so.0 is not installed (Debian/Ubuntu: apt-get install libpulse0).", ex);
        }

        var state = new PulseAudioListState();
        var handle = GCHandle.Alloc(state);
        var context = PulseAudioNative.ContextNew(PulseAudioNative.MainloopGetApi(mainloop), "Friture.Streaming device list");
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        try
        {
            if (PulseAudioNative.ContextConnect(context, server, 0, 0) < 0)
            {
                throw Unreachable(server, PulseAudioNative.ErrorText(PulseAudioNative.ContextErrno(context)));
            }

            while (true)
            {
                var s = PulseAudioNative.ContextGetState(context);
                if (s == PulseAudioNative.ContextReady)
                {
                    break;
                }

                if (s is PulseAudioNative.ContextFailed or PulseAudioNative.ContextTerminated)
                {
                    throw Unreachable(server, PulseAudioNative.ErrorText(PulseAudioNative.ContextErrno(context)));
                }

                Iterate(mainloop, deadline, server);
            }

            var user = GCHandle.ToIntPtr(handle);
            Run(mainloop, PulseAudioNative.ContextGetServerInfo(context, &OnServerInfo, user), deadline, server);
            Run(mainloop, PulseAudioNative.ContextGetSourceInfoList(context, &OnSourceInfo, user), deadline, server);
            var result = new PulseAudioDevice[state.Devices.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = state.Devices[i] with { IsDefault = state.Devices[i].Name == state.DefaultSource };
            }

            return result;
        }
        finally
        {
            PulseAudioNative.ContextDisconnect(context);
            PulseAudioNative.ContextUnref(context);
            PulseAudioNative.MainloopFree(mainloop);
            handle.Free();
        }
    }

    private static void Run(nint mainloop, nint operation, long deadline, string? server)
    {
        if (operation == 0)
        {
            throw Unreachable(server, "the query was refused");
        }

        try
        {
            while (PulseAudioNative.OperationGetState(operation) == PulseAudioNative.OperationRunning)
            {
                Iterate(mainloop, deadline, server);
            }
        }
        finally
        {
            PulseAudioNative.OperationUnref(operation);
        }
    }

    private static void Iterate(nint mainloop, long deadline, string? server)
    {
        if (Environment.TickCount64 > deadline)
        {
            throw Unreachable(server, "no answer in time");
        }

        if (PulseAudioNative.MainloopIterate(mainloop, 0, out _) == 0)
        {
            // Nothing was dispatched: wait a little for the server instead of spinning.
            Thread.Sleep(1);
        }
    }

    private static AudioSourceException Unreachable(string? server, string reason) =>
        new($"The PulseAudio server {(server is null ? "(default)" : $"'{server}'")} cannot be reached: {reason}.");

    [UnmanagedCallersOnly]
    private static void OnServerInfo(nint context, nint info, nint user)
    {
        if (info != 0 && GCHandle.FromIntPtr(user).Target is PulseAudioListState state)
        {
            state.DefaultSource = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(info, PulseAudioNative.ServerInfoDefaultSourceName));
        }
    }

    [UnmanagedCallersOnly]
    private static void OnSourceInfo(nint context, nint info, int endOfList, nint user)
    {
        if (endOfList != 0 || info == 0 || GCHandle.FromIntPtr(user).Target is not PulseAudioListState state)
        {
            return;
        }

        var name = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(info, PulseAudioNative.SourceInfoName)) ?? string.Empty;
        var description = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(info, PulseAudioNative.SourceInfoDescription)) ?? name;
        var rate = Marshal.ReadInt32(info, PulseAudioNative.SourceInfoRate);
        var channels = Marshal.ReadByte(info, PulseAudioNative.SourceInfoChannels);
        var monitorOf = (uint)Marshal.ReadInt32(info, PulseAudioNative.SourceInfoMonitorOfSink);
        state.Devices.Add(new PulseAudioDevice(name, description, rate, channels, monitorOf != PulseAudioNative.InvalidIndex, false));
    }
}
