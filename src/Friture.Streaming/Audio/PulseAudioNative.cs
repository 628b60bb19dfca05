using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Friture.Streaming.Audio;

/// <summary>P/Invoke declarations for libpulse-simple (capture) and libpulse (device listing).</summary>
/// <remarks>Layouts follow the PulseAudio 16 ABI (PA_CHANNELS_MAX = 32), which PipeWire's pulse server also speaks.</remarks>
[SupportedOSPlatform("linux")]
internal static unsafe partial class PulseAudioNative
{
    public const string SimpleLibrary = "libpulse-simple.so.0";
    public const string Library = "libpulse.so.0";

    public const int StreamRecord = 2;
    public const int SampleFloat32Le = 5;
    public const int ContextReady = 4;
    public const int ContextFailed = 5;
    public const int ContextTerminated = 6;
    public const int OperationRunning = 0;
    public const uint InvalidIndex = uint.MaxValue;

    // Offsets inside pa_source_info and pa_server_info on 64-bit Linux.
    public const int SourceInfoName = 0;
    public const int SourceInfoDescription = 16;
    public const int SourceInfoRate = 28;
    public const int SourceInfoChannels = 32;
    public const int SourceInfoMonitorOfSink = 308;
    public const int ServerInfoDefaultSourceName = 56;

    [StructLayout(LayoutKind.Sequential)]
    public struct SampleSpec
    {
        public int Format;
        public uint Rate;
        public byte Channels;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct BufferAttr
    {
        public uint MaxLength;
        public uint TLength;
        public uint PreBuf;
        public uint MinReq;
        public uint FragSize;
    }

    [LibraryImport(SimpleLibrary, EntryPoint = "pa_simple_new", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint SimpleNew(string? server, string name, int direction, string? device, string streamName,
        in SampleSpec spec, nint channelMap, in BufferAttr attributes, out int error);

    [LibraryImport(SimpleLibrary, EntryPoint = "pa_simple_read")]
    public static partial int SimpleRead(nint simple, void* data, nuint bytes, out int error);

    [LibraryImport(SimpleLibrary, EntryPoint = "pa_simple_free")]
    public static partial void SimpleFree(nint simple);

    [LibraryImport(Library, EntryPoint = "pa_strerror")]
    public static partial nint StrError(int error);

    [LibraryImport(Library, EntryPoint = "pa_mainloop_new")]
    public static partial nint MainloopNew();

    [LibraryImport(Library, EntryPoint = "pa_mainloop_get_api")]
    public static partial nint MainloopGetApi(nint mainloop);

    [LibraryImport(Library, EntryPoint = "pa_mainloop_iterate")]
    public static partial int MainloopIterate(nint mainloop, int block, out int result);

    [LibraryImport(Library, EntryPoint = "pa_mainloop_free")]
    public static partial void MainloopFree(nint mainloop);

    [LibraryImport(Library, EntryPoint = "pa_context_new", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ContextNew(nint api, string name);

    [LibraryImport(Library, EntryPoint = "pa_context_connect", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ContextConnect(nint context, string? server, int flags, nint spawnApi);

    [LibraryImport(Library, EntryPoint = "pa_context_get_state")]
    public static partial int ContextGetState(nint context);

    [LibraryImport(Library, EntryPoint = "pa_context_errno")]
    public static partial int ContextErrno(nint context);

    [LibraryImport(Library, EntryPoint = "pa_context_disconnect")]
    public static partial void ContextDisconnect(nint context);

    [LibraryImport(Library, EntryPoint = "pa_context_unref")]
    public static partial void ContextUnref(nint context);

    [LibraryImport(Library, EntryPoint = "pa_context_get_source_info_list")]
    public static partial nint ContextGetSourceInfoList(nint context, delegate* unmanaged<nint, nint, int, nint, void> callback, nint userData);

    [LibraryImport(Library, EntryPoint = "pa_context_get_server_info")]
    public static partial nint ContextGetServerInfo(nint context, delegate* unmanaged<nint, nint, nint, void> callback, nint userData);

    [LibraryImport(Library, EntryPoint = "pa_operation_get_state")]
    public static partial int OperationGetState(nint operation);

    [LibraryImport(Library, EntryPoint = "pa_operation_unref")]
    public static partial void OperationUnref(nint operation);

    public static string ErrorText(int error)
    {
        try
        {
            return Marshal.PtrToStringUTF8(StrError(error)) ?? $"error {error}";
        }
        catch (DllNotFoundException)
        {
            return $"error {error}";
        }
    }
}
